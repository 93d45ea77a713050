package io.moezoo.translators.timeseries;

import ai.djl.translate.TranslateException;

/**
 * A forecast input the translator cannot use: no target, an empty or too short series, a NaN or
 * infinite value, or a bad prediction length. The message names what is wrong.
 */
public class InvalidSeriesException extends TranslateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the input
     */
    public InvalidSeriesException(String message) {
        super(message);
    }
}
