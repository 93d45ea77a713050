package io.moezoo.hf.harmony;

/**
 * A conversation or setting the harmony renderer cannot turn into a prompt: a role or message shape
 * it does not support (tool messages, a system message after the first), content that would forge a
 * harmony special token, an unknown reasoning effort. The message says which and why.
 */
public class HarmonyFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong
     */
    public HarmonyFormatException(String message) {
        super(message);
    }
}
