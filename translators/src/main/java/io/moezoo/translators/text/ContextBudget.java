package io.moezoo.translators.text;

import java.util.Arrays;

/**
 * Fits a tokenized input into a model's context: the prompt plus the tokens still to generate must
 * not exceed the context length. Too long an input is refused with a {@link
 * ContextLengthExceededException}, or, when truncation was asked for, cut to its last tokens.
 */
final class ContextBudget {

    private ContextBudget() {}

    /**
     * Returns the ids to run.
     *
     * @param ids the tokenized input
     * @param maxNewTokens the tokens to generate after it (0 when scoring)
     * @param contextLength the model's context length
     * @param truncate whether to keep only the last {@code contextLength - maxNewTokens} ids
     *     instead of refusing a longer input
     * @return {@code ids} itself when it fits, else (truncating) a copy of its last ids
     * @throws ContextLengthExceededException if {@code maxNewTokens} leaves no room for a single
     *     input token, or the input does not fit and {@code truncate} is false
     */
    static long[] fit(long[] ids, int maxNewTokens, int contextLength, boolean truncate)
            throws ContextLengthExceededException {
        if (maxNewTokens >= contextLength) {
            throw new ContextLengthExceededException(
                    "maxNewTokens is "
                            + maxNewTokens
                            + " but the model's context is "
                            + contextLength
                            + " tokens, prompt included: at most "
                            + (contextLength - 1)
                            + " new tokens fit after a one-token prompt",
                    ids.length,
                    maxNewTokens,
                    contextLength);
        }
        long total = (long) ids.length + maxNewTokens;
        if (total <= contextLength) {
            return ids;
        }
        int room = contextLength - maxNewTokens;
        if (truncate) {
            return Arrays.copyOfRange(ids, ids.length - room, ids.length);
        }
        String message =
                maxNewTokens == 0
                        ? "The input is "
                                + ids.length
                                + " tokens, more than the model's context of "
                                + contextLength
                                + " tokens; shorten it, or set truncatePrompt to keep its last "
                                + room
                                + " tokens"
                        : "The prompt is "
                                + ids.length
                                + " tokens and maxNewTokens is "
                                + maxNewTokens
                                + ": "
                                + total
                                + " tokens exceed the model's context of "
                                + contextLength
                                + " tokens; shorten the prompt, lower maxNewTokens, or set"
                                + " truncatePrompt to keep its last "
                                + room
                                + " tokens";
        throw new ContextLengthExceededException(message, ids.length, maxNewTokens, contextLength);
    }
}
