package io.moezoo.spark;

/** A job named a model family the zoo does not have; the message lists those it has. */
public final class UnknownFamilyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the unknown name and the known families
     */
    public UnknownFamilyException(String message) {
        super(message);
    }
}
