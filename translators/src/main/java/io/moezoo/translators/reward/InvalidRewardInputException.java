package io.moezoo.translators.reward;

import ai.djl.translate.TranslateException;

/** A reward-model input was rejected: a text is null, blank, contains NUL or is too long. */
public class InvalidRewardInputException extends TranslateException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * Creates the exception.
     *
     * @param field the offending input field ({@code prompt}, {@code response}, {@code chosen} or
     *     {@code rejected})
     * @param message what is wrong with it
     */
    public InvalidRewardInputException(String field, String message) {
        super("Invalid reward-model input: " + field + " " + message);
        this.field = field;
    }

    /**
     * Returns the name of the offending field.
     *
     * @return the field name
     */
    public String getField() {
        return field;
    }
}
