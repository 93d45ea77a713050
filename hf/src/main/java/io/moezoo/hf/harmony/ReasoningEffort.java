package io.moezoo.hf.harmony;

import java.util.Locale;

/**
 * How much a gpt-oss model reasons before its final answer: the system message's {@code Reasoning:}
 * line.
 */
public enum ReasoningEffort {
    /** Brief reasoning. */
    LOW,
    /** The default. */
    MEDIUM,
    /** Thorough reasoning. */
    HIGH;

    /**
     * Returns the word the system message writes.
     *
     * @return {@code low}, {@code medium} or {@code high}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads an effort as users write it.
     *
     * @param text {@code low}, {@code medium} or {@code high} (any case)
     * @param what what gave the text, for the message (an option or field name)
     * @return the effort
     * @throws HarmonyFormatException naming {@code what} if the text is none of them
     */
    public static ReasoningEffort parse(String text, String what) {
        if (text != null) {
            for (ReasoningEffort e : values()) {
                if (e.label().equals(text.toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
        }
        throw new HarmonyFormatException(
                what
                        + " must be low, medium or high, got "
                        + (text == null ? "nothing" : "'" + text + "'"));
    }
}
