package io.moezoo.translators.vision;

import ai.djl.translate.TranslateException;

/**
 * Thrown when an input image does not fit the model: wrong size, or colour where a grayscale image
 * is required. {@code Predictor.predict} rethrows it unchanged, so callers can catch it by type.
 */
public final class InvalidImageException extends TranslateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the image
     */
    public InvalidImageException(String message) {
        super(message);
    }
}
