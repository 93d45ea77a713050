package io.moezoo.recipes.data;

import java.io.IOException;

/**
 * A text input that cannot be read as what it should be: missing, not a regular file, too large, or
 * not UTF-8 text. The message names the input and what is wrong.
 */
public class InvalidTextException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the input and what is wrong with it
     */
    public InvalidTextException(String message) {
        super(message);
    }
}
