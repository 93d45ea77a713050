package io.moezoo.blocks.spec;

/**
 * A spec's JSON form is malformed or describes an invalid spec. The message names the spec family
 * and the field that is wrong, e.g. {@code router softmax_top_k: field "topK": expected an integer,
 * got "two"}.
 */
public class SpecJsonException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the field
     */
    public SpecJsonException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is wrong, naming the field
     * @param cause the underlying error
     */
    public SpecJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
