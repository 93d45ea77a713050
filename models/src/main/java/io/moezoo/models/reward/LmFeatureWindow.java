package io.moezoo.models.reward;

/**
 * How a reward model over a frozen language model reads a pair ({@link LanguageModelFeatures}): the
 * prompt and response lengths in tokens, the response tokens right after the prompt and at its end
 * that get their own statistics, and the token that starts the response-only pass. Both LM reward
 * specs ({@link LmRewardSpec}, {@link LmArmoRewardSpec}) carry these fields under these names.
 */
public interface LmFeatureWindow {

    /**
     * Returns the prompt tokens the model reads (the last ones).
     *
     * @return the prompt limit
     */
    int maxPromptTokens();

    /**
     * Returns the largest response in tokens (leading space included).
     *
     * @return the response limit
     */
    int maxResponseTokens();

    /**
     * Returns k, the response tokens right after the prompt that get their own statistics.
     *
     * @return k
     */
    int boundaryTokens();

    /**
     * Returns the last response tokens that get their own statistic.
     *
     * @return the tail length
     */
    int tailTokens();

    /**
     * Returns the id that starts the response-only pass and pads the inputs.
     *
     * @return the start token
     */
    long startToken();

    /**
     * Returns the fixed input length.
     *
     * @return {@code maxPromptTokens + maxResponseTokens}
     */
    default int sequenceLength() {
        return maxPromptTokens() + maxResponseTokens();
    }
}
