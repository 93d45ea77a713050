package io.moezoo.translators.reward;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * Encodes a (prompt, response) with a language model's tokenizer, for reward models that read a
 * frozen language model.
 *
 * <p>Both texts are checked and normalised as {@link RewardTextEncoding#checked} does. The prompt's
 * tokens come first, then the tokens of {@code " " + response} (the response is encoded on its own,
 * with its leading space, so its tokens do not depend on the prompt); the ids are right-padded with
 * {@code padToken} to {@code maxPromptTokens + maxResponseTokens}; no special tokens are added. A
 * prompt longer than {@code maxPromptTokens} keeps its last tokens; a response longer than {@code
 * maxResponseTokens} is rejected.
 */
public final class RewardTokenEncoding implements RewardEncoding {

    private final HuggingFaceTokenizer tokenizer;
    private final int maxPromptTokens;
    private final int maxResponseTokens;
    private final long padToken;

    /**
     * Creates the encoding.
     *
     * @param tokenizer the language model's tokenizer (built without special tokens)
     * @param maxPromptTokens the prompt tokens kept (the last ones)
     * @param maxResponseTokens the largest accepted response in tokens
     * @param padToken the id that pads the inputs
     * @throws IllegalArgumentException if a limit is not positive or the pad id is negative
     */
    public RewardTokenEncoding(
            HuggingFaceTokenizer tokenizer,
            int maxPromptTokens,
            int maxResponseTokens,
            long padToken) {
        if (tokenizer == null || maxPromptTokens <= 0 || maxResponseTokens <= 0 || padToken < 0) {
            throw new IllegalArgumentException(
                    "Need a tokenizer, maxPromptTokens > 0, maxResponseTokens > 0 and padToken"
                            + " >= 0");
        }
        this.tokenizer = tokenizer;
        this.maxPromptTokens = maxPromptTokens;
        this.maxResponseTokens = maxResponseTokens;
        this.padToken = padToken;
    }

    /** {@inheritDoc} */
    @Override
    public int sequenceLength() {
        return maxPromptTokens + maxResponseTokens;
    }

    /** {@inheritDoc} */
    @Override
    public EncodedResponse encode(String prompt, String response, String responseField)
            throws InvalidRewardInputException {
        long[] p = tokens(prompt, "prompt", "");
        long[] r = tokens(response, responseField, " ");
        if (r.length > maxResponseTokens) {
            throw new InvalidRewardInputException(
                    responseField,
                    "is "
                            + r.length
                            + " tokens (whitespace collapsed, with its leading space); the model"
                            + " accepts at most "
                            + maxResponseTokens);
        }
        int start = Math.max(0, p.length - maxPromptTokens);
        int promptLength = p.length - start;
        int length = sequenceLength();
        long[] ids = new long[length];
        float[] promptMask = new float[length];
        float[] responseMask = new float[length];
        java.util.Arrays.fill(ids, padToken);
        for (int i = 0; i < promptLength; i++) {
            ids[i] = p[start + i];
            promptMask[i] = 1f;
        }
        for (int i = 0; i < r.length; i++) {
            ids[promptLength + i] = r[i];
            responseMask[promptLength + i] = 1f;
        }
        return new EncodedResponse(ids, promptMask, responseMask, promptLength, r.length);
    }

    private long[] tokens(String text, String field, String prefix)
            throws InvalidRewardInputException {
        String normalized = RewardTextEncoding.checked(text, field);
        long[] ids = tokenizer.encode(prefix + normalized, false, false).getIds();
        if (ids.length == 0) {
            throw new InvalidRewardInputException(field, "has no tokens");
        }
        return ids;
    }
}
