package io.moezoo.translators.reward;

/**
 * Turns a (prompt, response) into the fixed-length inputs a reward model reads: token ids with the
 * prompt first and the response after it, right-padded, and two masks. The prompt is truncated on
 * the left when it is too long (the most recent context is kept); a response that does not fit is
 * rejected, because scoring a cut response would score a different text.
 */
public interface RewardEncoding {

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
    EncodedResponse encode(String prompt, String response, String responseField)
            throws InvalidRewardInputException;

    /**
     * Returns the fixed sequence length.
     *
     * @return the length of every encoded input
     */
    int sequenceLength();
}
