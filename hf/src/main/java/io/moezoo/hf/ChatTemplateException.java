package io.moezoo.hf;

/**
 * A chat template could not render a conversation: a syntax error, an unsupported construct, a
 * limit of the sandbox, or the template's own {@code raise_exception}. The message names the
 * template.
 */
public class ChatTemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the template
     */
    public ChatTemplateException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, naming the template
     * @param cause the underlying error
     */
    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
