package io.moezoo.cli;

import io.moezoo.recipes.data.TextFiles;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The prompt of {@code generate}: the PROMPT argument, or standard input when it is {@code -} (at
 * most {@value #MAX_STDIN_BYTES} bytes of strict UTF-8). A prompt must be text: not blank, no
 * control characters other than tab, line feed and carriage return, no U+FFFD (the mark of bytes
 * that were not UTF-8 when the shell passed the argument) and no unpaired surrogates. Its length in
 * tokens is the translator's to check against the model's context.
 */
final class PromptText {

    /** The most bytes read from standard input. */
    static final int MAX_STDIN_BYTES = 1 << 20;

    private PromptText() {}

    /**
     * Returns the prompt text.
     *
     * @param argument the PROMPT argument
     * @param stdin standard input, read when the argument is {@code -}
     * @return the checked prompt
     * @throws IOException if standard input cannot be read or is not UTF-8 text
     * @throws IllegalArgumentException if the prompt is not acceptable text
     */
    static String resolve(String argument, InputStream stdin) throws IOException {
        if ("-".equals(argument)) {
            String text =
                    TextFiles.decodeUtf8(
                            TextFiles.readAtMost(stdin, MAX_STDIN_BYTES, "standard input"),
                            "standard input");
            return check(text, "the prompt on standard input");
        }
        return check(argument, "PROMPT");
    }

    /**
     * Checks that a prompt is text.
     *
     * @param text the prompt
     * @param what how to call it in messages
     * @return the text
     * @throws IllegalArgumentException naming the first offending character and its index
     */
    static String check(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(
                        what + " has an unpaired UTF-16 surrogate " + code(c) + " at index " + i);
            } else if (c == '\uFFFD') {
                throw new IllegalArgumentException(
                        what
                                + " contains U+FFFD at index "
                                + i
                                + ": bytes that were not UTF-8 text (binary data?)");
            } else if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw new IllegalArgumentException(
                        what
                                + " contains the control character "
                                + code(c)
                                + " at index "
                                + i
                                + "; only tab and line breaks are allowed");
            }
        }
        return text;
    }

    /**
     * Makes generated text safe to print on a terminal: control characters other than tab and line
     * breaks become U+FFFD, so a model cannot write escape sequences.
     *
     * @param text generated text
     * @return the printable text
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r';
            out.append(control ? '\uFFFD' : c);
        }
        return out.toString();
    }

    private static String code(char c) {
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }
}
