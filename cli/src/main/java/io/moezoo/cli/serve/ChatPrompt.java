package io.moezoo.cli.serve;

import java.util.List;

/** Turns the messages of a chat request into the prompt the model continues. */
@FunctionalInterface
public interface ChatPrompt {

    /**
     * Renders the messages, ready for the assistant's reply.
     *
     * @param messages the conversation, at least one message
     * @return the prompt
     * @throws ApiException when the model cannot take chat requests
     */
    String render(List<Message> messages);
}
