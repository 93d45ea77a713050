package io.moezoo.translators.reward;

import java.nio.charset.StandardCharsets;

/**
 * Turns a (prompt, response) into the fixed-length byte sequence the reward models read.
 *
 * <p>Both texts are normalised (every run of whitespace becomes one space, ends trimmed). The
 * sequence is the UTF-8 bytes of {@code prompt + " " + response} (token id = byte value, vocabulary
 * 256), right-padded with byte 0 to {@code maxPromptBytes + maxResponseBytes}; no special tokens.
 * Since the encoder is causal, the padding after the response never influences it; two masks mark
 * the prompt bytes and the response bytes (the response's leading space included).
 *
 * <p>Length policy: a prompt longer than {@code maxPromptBytes} is <em>truncated on the left</em>
 * (the most recent context is kept, cut at a UTF-8 character boundary); a response longer than
 * {@code maxResponseBytes} (leading space included) is <em>rejected</em>, because scoring a cut
 * response would score a different text. Null, blank or NUL-containing texts are rejected.
 */
public final class RewardTextEncoding implements RewardEncoding {

    /** The padding byte; never produced by text (NUL is rejected). */
    public static final long PAD = 0;

    private final int maxPromptBytes;
    private final int maxResponseBytes;

    /**
     * Creates the encoding.
     *
     * @param maxPromptBytes the prompt bytes kept (the last ones)
     * @param maxResponseBytes the largest accepted response, in bytes with its leading space
     * @throws IllegalArgumentException if a limit is not positive
     */
    public RewardTextEncoding(int maxPromptBytes, int maxResponseBytes) {
        if (maxPromptBytes <= 0 || maxResponseBytes <= 1) {
            throw new IllegalArgumentException(
                    "maxPromptBytes must be > 0 and maxResponseBytes > 1, got "
                            + maxPromptBytes
                            + ", "
                            + maxResponseBytes);
        }
        this.maxPromptBytes = maxPromptBytes;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * Returns the prompt limit.
     *
     * @return the number of prompt bytes kept
     */
    public int getMaxPromptBytes() {
        return maxPromptBytes;
    }

    /**
     * Returns the response limit.
     *
     * @return the largest accepted response in bytes
     */
    public int getMaxResponseBytes() {
        return maxResponseBytes;
    }

    /**
     * Returns the fixed sequence length.
     *
     * @return {@code maxPromptBytes + maxResponseBytes}
     */
    @Override
    public int sequenceLength() {
        return maxPromptBytes + maxResponseBytes;
    }

    /**
     * Collapses whitespace runs to one space and trims.
     *
     * @param text the text
     * @return the normalised text
     */
    public static String normalize(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    /**
     * Encodes one (prompt, response).
     *
     * @param prompt the context
     * @param response the scored text
     * @param responseField the name reported if the response is rejected (e.g. {@code chosen})
     * @return the ids and masks
     * @throws InvalidRewardInputException if a text is null, blank, contains NUL, or the response
     *     is longer than the limit
     */
    @Override
    public EncodedResponse encode(String prompt, String response, String responseField)
            throws InvalidRewardInputException {
        byte[] p = bytes(prompt, "prompt");
        byte[] r = bytes(response, responseField);
        if (r.length + 1 > maxResponseBytes) {
            throw new InvalidRewardInputException(
                    responseField,
                    "is "
                            + (r.length + 1)
                            + " bytes (UTF-8, whitespace collapsed, with its leading space);"
                            + " the model accepts at most "
                            + maxResponseBytes);
        }
        int start = Math.max(0, p.length - maxPromptBytes);
        while (start < p.length && (p[start] & 0xC0) == 0x80) {
            start++; // do not start inside a multi-byte character
        }
        int promptLength = p.length - start;
        int length = sequenceLength();
        long[] ids = new long[length];
        float[] promptMask = new float[length];
        float[] responseMask = new float[length];
        for (int i = 0; i < promptLength; i++) {
            ids[i] = p[start + i] & 0xFF;
            promptMask[i] = 1f;
        }
        ids[promptLength] = ' ';
        responseMask[promptLength] = 1f;
        for (int i = 0; i < r.length; i++) {
            ids[promptLength + 1 + i] = r[i] & 0xFF;
            responseMask[promptLength + 1 + i] = 1f;
        }
        return new EncodedResponse(ids, promptMask, responseMask, promptLength, r.length + 1);
    }

    private static byte[] bytes(String text, String field) throws InvalidRewardInputException {
        return checked(text, field).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Validates and normalises one text of an input, as every reward encoding does.
     *
     * @param text the text
     * @param field its name in error messages (e.g. {@code prompt}, {@code chosen})
     * @return the text with whitespace collapsed ({@link #normalize})
     * @throws InvalidRewardInputException if the text is null, contains NUL or is blank
     */
    public static String checked(String text, String field) throws InvalidRewardInputException {
        if (text == null) {
            throw new InvalidRewardInputException(field, "is null");
        }
        if (text.indexOf('\0') >= 0) {
            throw new InvalidRewardInputException(field, "contains a NUL character");
        }
        String normalized = normalize(text);
        if (normalized.isEmpty()) {
            throw new InvalidRewardInputException(field, "is empty or blank");
        }
        return normalized;
    }
}
