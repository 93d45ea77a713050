package io.moezoo.cli;

import io.moezoo.translators.text.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The conversation of {@code moe-zoo chat}: an optional system message, then user and assistant
 * turns. {@link #fit} keeps it within a token budget by dropping the oldest user/assistant pairs,
 * never the system message and never the user turn being answered.
 */
final class ChatHistory {

    private final ChatMessage system;
    private final List<ChatMessage> turns = new ArrayList<>();

    /**
     * Starts a conversation.
     *
     * @param system the system message's text, or null for none
     */
    ChatHistory(String system) {
        this.system = system == null ? null : ChatMessage.system(system);
    }

    /**
     * Adds a message.
     *
     * @param message a user or assistant message
     */
    void add(ChatMessage message) {
        turns.add(message);
    }

    /**
     * Returns the conversation, system message first.
     *
     * @return the messages
     */
    List<ChatMessage> messages() {
        List<ChatMessage> all = new ArrayList<>(turns.size() + 1);
        if (system != null) {
            all.add(system);
        }
        all.addAll(turns);
        return all;
    }

    /**
     * Returns the number of user and assistant messages kept.
     *
     * @return the number of turns
     */
    int turns() {
        return turns.size();
    }

    /**
     * Drops the oldest user/assistant pairs until the conversation fits.
     *
     * @param promptTokens the length in tokens of a conversation's rendered prompt
     * @param budget the most tokens the prompt may have
     * @return the number of messages dropped
     * @throws IllegalArgumentException if the system message and the last user turn alone do not
     *     fit
     */
    int fit(ToIntFunction<List<ChatMessage>> promptTokens, int budget) {
        int dropped = 0;
        int tokens = promptTokens.applyAsInt(messages());
        while (tokens > budget) {
            if (turns.size() <= 1) {
                throw new IllegalArgumentException(
                        "the prompt of "
                                + (system == null ? "" : "the system message and ")
                                + "this turn alone is "
                                + tokens
                                + " tokens, more than the "
                                + budget
                                + " the context (less --max-new-tokens) or --max-history-tokens"
                                + " allows; shorten it or lower --max-new-tokens");
            }
            // The oldest pair: a user turn and the assistant's answer to it.
            turns.remove(0);
            dropped++;
            if (turns.size() > 1 && turns.get(0).role().equals("assistant")) {
                turns.remove(0);
                dropped++;
            }
            tokens = promptTokens.applyAsInt(messages());
        }
        return dropped;
    }
}
