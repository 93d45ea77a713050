package io.moezoo.translators.text;

import java.util.Objects;
import java.util.Set;

/**
 * One message of a chat conversation, as a chat template receives it.
 *
 * @param role who speaks: {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content what is said (may be empty, never null)
 */
public record ChatMessage(String role, String content) {

    /** The roles a message may have. */
    public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    /**
     * Validates the message.
     *
     * @param role who speaks: one of {@link #ROLES}
     * @param content what is said, not null
     * @throws IllegalArgumentException if the role is not one of {@link #ROLES}
     * @throws NullPointerException if the content is null
     */
    public ChatMessage {
        if (role == null || !ROLES.contains(role)) {
            throw new IllegalArgumentException(
                    "a chat message's role must be one of system, user, assistant, tool; got "
                            + role);
        }
        Objects.requireNonNull(content, "a chat message's content must not be null");
    }

    /**
     * A system message.
     *
     * @param content the instructions
     * @return the message
     */
    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    /**
     * A user message.
     *
     * @param content what the user says
     * @return the message
     */
    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    /**
     * An assistant message.
     *
     * @param content what the assistant answered
     * @return the message
     */
    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
