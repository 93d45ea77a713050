package io.moezoo.spark;

/**
 * An input data set does not have the shape a family needs: a missing or mistyped column, an
 * unreadable file, or a row whose value cannot be a model input. The message names the column, file
 * or row.
 */
public final class MalformedDatasetException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the column, file or row
     */
    public MalformedDatasetException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong, naming the column, file or row
     * @param cause the underlying failure
     */
    public MalformedDatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
