package io.moezoo.formats;

import ai.djl.MalformedModelException;

/** A checkpoint file or index is malformed, incomplete or inconsistent; the message says where. */
public class MalformedCheckpointException extends MalformedModelException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file and the tensor
     */
    public MalformedCheckpointException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong, naming the file and the tensor
     * @param cause the underlying error
     */
    public MalformedCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
