package io.moezoo.translators.reward;

import java.util.Arrays;

/**
 * One encoded (prompt, response), as a {@link RewardEncoding} makes it.
 *
 * @param ids the token ids, right-padded to the encoding's sequence length
 * @param promptMask 1 at prompt positions
 * @param responseMask 1 at response positions
 * @param promptLength the number of prompt tokens kept
 * @param responseLength the number of response tokens (with the leading space)
 */
public record EncodedResponse(
        long[] ids,
        float[] promptMask,
        float[] responseMask,
        int promptLength,
        int responseLength) {

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedResponse e
                && Arrays.equals(ids, e.ids)
                && Arrays.equals(promptMask, e.promptMask)
                && Arrays.equals(responseMask, e.responseMask);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "EncodedResponse[prompt="
                + promptLength
                + " tokens, response="
                + responseLength
                + " tokens]";
    }
}
