package io.moezoo.spark;

/** A zoo model could not be loaded on an executor (unknown id, bad arguments, missing files). */
public final class ModelLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the model
     * @param cause the underlying failure
     */
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
