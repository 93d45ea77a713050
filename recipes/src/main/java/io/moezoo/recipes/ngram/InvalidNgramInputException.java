package io.moezoo.recipes.ngram;

/**
 * Input an n-gram model cannot be built or queried from: an order or vocabulary out of range, a
 * token id outside the vocabulary, a discount outside {@code [0, i]} for count {@code i}, or counts
 * too sparse to estimate the modified Kneser-Ney discounts. The message names what is wrong.
 */
public class InvalidNgramInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public InvalidNgramInputException(String message) {
        super(message);
    }
}
