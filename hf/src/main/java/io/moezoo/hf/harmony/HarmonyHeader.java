package io.moezoo.hf.harmony;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of one message of a harmony reply: who writes it, on which channel, to whom.
 *
 * @param role the author ({@code assistant} for the model's own messages)
 * @param channel the channel: {@value #ANALYSIS}, {@code commentary}, {@value #FINAL}, or another
 *     name the model wrote; {@value #FINAL} when the header names none
 * @param recipient the recipient of a tool call ({@code to=functions.NAME}), or null
 * @param contentType the content type of a tool call ({@code <|constrain|>json}), or null
 */
public record HarmonyHeader(String role, String channel, String recipient, String contentType) {

    /** The channel of the answer for the user. */
    public static final String FINAL = "final";

    /** The channel of the chain of thought. */
    public static final String ANALYSIS = "analysis";

    /**
     * Validates the header.
     *
     * @param role the author, not null
     * @param channel the channel, not null
     * @param recipient the recipient, or null
     * @param contentType the content type, or null
     */
    public HarmonyHeader {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(channel, "channel");
    }

    private static final Pattern RECIPIENT = Pattern.compile("(?:^|\\s)to=([^\\s<]+)");
    private static final Pattern CHANNEL =
            Pattern.compile(Pattern.quote(HarmonyToken.CHANNEL.text()) + "([^\\s<]+)");
    private static final Pattern CONTENT_TYPE =
            Pattern.compile(Pattern.quote(HarmonyToken.CONSTRAIN.text()) + "\\s*([^\\s<]+)");

    /**
     * Reads the text of a header, as it stands between {@code <|start|>} and {@code <|message|>}
     * (special tokens written as text).
     *
     * @param role the role when the header does not begin with one (the reply's first message,
     *     whose role the prompt wrote), or null to read it from the header's first word
     * @param raw the header text
     * @return the header; the role is {@code assistant} and the channel {@value #FINAL} when the
     *     text names none
     */
    static HarmonyHeader parse(String role, String raw) {
        String rest = raw;
        if (role == null) {
            int end = 0;
            while (end < raw.length()
                    && !Character.isWhitespace(raw.charAt(end))
                    && !raw.startsWith("<|", end)) {
                end++;
            }
            role = raw.substring(0, end);
            rest = raw.substring(end);
        }
        return new HarmonyHeader(
                role.isEmpty() ? "assistant" : role,
                find(CHANNEL, rest, FINAL),
                find(RECIPIENT, rest, null),
                find(CONTENT_TYPE, rest, null));
    }

    private static String find(Pattern pattern, String text, String otherwise) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }

    /**
     * Whether this message is (part of) the answer for the user: the final channel.
     *
     * @return true on the final channel
     */
    public boolean isFinal() {
        return channel.equals(FINAL);
    }
}
