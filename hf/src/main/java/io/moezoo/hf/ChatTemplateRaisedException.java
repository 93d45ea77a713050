package io.moezoo.hf;

/**
 * A chat template refused a conversation with {@code raise_exception(message)}, as templates do for
 * roles they do not support or that do not alternate. {@link #templateMessage} is the template's
 * own words.
 */
public class ChatTemplateRaisedException extends ChatTemplateException {

    private static final long serialVersionUID = 1L;

    /** What the template said. */
    private final String templateMessage;

    /**
     * Creates the exception.
     *
     * @param template the template's name
     * @param templateMessage what the template said
     */
    public ChatTemplateRaisedException(String template, String templateMessage) {
        super("chat template " + template + " refused the conversation: " + templateMessage);
        this.templateMessage = templateMessage;
    }

    /**
     * Returns the template's message.
     *
     * @return the argument of {@code raise_exception}
     */
    public String templateMessage() {
        return templateMessage;
    }
}
