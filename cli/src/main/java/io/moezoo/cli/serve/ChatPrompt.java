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

    /**
     * Renders a chat request's messages with the request's settings that shape a prompt ({@code
     * reasoning_effort} for harmony); by default the settings are ignored.
     *
     * @param request a chat request
     * @return the prompt
     * @throws ApiException when the model cannot take the request
     */
    default String render(GenerationRequest request) {
        return render(request.messages());
    }

    /**
     * Whether the model replies in the harmony format: its replies are decoded keeping special
     * tokens, end at {@code <|return|>} or {@code <|call|>}, and are split into the final channel
     * ({@code content}) and the others ({@code reasoning_content}).
     *
     * @return true for gpt-oss
     */
    default boolean harmony() {
        return false;
    }
}
