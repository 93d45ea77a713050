package io.moezoo.onnx;

/**
 * An ONNX graph that cannot be written as built: an undefined or duplicate value name, an attribute
 * of the wrong kind, a tensor whose data does not fit its shape, or a model file that cannot be
 * written.
 */
public class OnnxGraphException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the value or node
     */
    public OnnxGraphException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what is wrong
     * @param cause the cause
     */
    public OnnxGraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
