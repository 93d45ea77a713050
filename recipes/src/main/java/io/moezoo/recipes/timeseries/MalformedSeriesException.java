package io.moezoo.recipes.timeseries;

import java.io.IOException;

/**
 * A data file that does not hold the series asked for; the message names the file and the problem.
 */
public class MalformedSeriesException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the file and what is wrong
     */
    public MalformedSeriesException(String message) {
        super(message);
    }
}
