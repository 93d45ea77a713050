package io.moezoo.translators.text;

import java.util.List;

/**
 * Stop strings (OpenAI's {@code stop}): generation ends where the generated text first contains one
 * of them, and the text ends just before it.
 *
 * <p>A streamed text must never show the beginning of a stop string that later completes: {@link
 * #heldBack} says how much of a text's end could still become one and so is not final yet.
 */
public final class StopStrings {

    /** The most stop strings a generation takes (OpenAI allows 4). */
    public static final int MAX_COUNT = 16;

    /** The longest stop string, in characters. */
    public static final int MAX_LENGTH = 256;

    private StopStrings() {}

    /**
     * Checks stop strings and copies them.
     *
     * @param strings the stop strings, or null for none
     * @return an immutable copy
     * @throws IllegalArgumentException if there are more than {@value #MAX_COUNT}, or one is null,
     *     empty or longer than {@value #MAX_LENGTH} characters
     */
    static List<String> validate(List<String> strings) {
        if (strings == null) {
            return List.of();
        }
        if (strings.size() > MAX_COUNT) {
            throw new IllegalArgumentException(
                    "at most " + MAX_COUNT + " stop strings, got " + strings.size());
        }
        for (String s : strings) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
            if (s.length() > MAX_LENGTH) {
                throw new IllegalArgumentException(
                        "stop strings must be at most "
                                + MAX_LENGTH
                                + " characters, got one of "
                                + s.length());
            }
        }
        return List.copyOf(strings);
    }

    /**
     * Finds where the first stop string begins in a text.
     *
     * @param stops the stop strings
     * @param text the text
     * @param from where to start looking (text before it is known to hold no stop string)
     * @return the smallest index at which a stop string begins, or -1 if none does
     */
    public static int find(List<String> stops, String text, int from) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop, Math.max(0, from));
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /**
     * Returns how many characters at the end of a text could be the beginning of a stop string: the
     * length of the longest suffix of {@code text} that is a prefix of one of {@code stops}.
     *
     * @param stops the stop strings
     * @param text the text (holding no whole stop string)
     * @return the number of characters to hold back
     */
    public static int heldBack(List<String> stops, String text) {
        int longest = 0;
        for (String stop : stops) {
            for (int n = Math.min(stop.length(), text.length()); n > longest; n--) {
                if (text.regionMatches(text.length() - n, stop, 0, n)) {
                    longest = n;
                    break;
                }
            }
        }
        return longest;
    }
}
