package io.moezoo.models.reward;

import ai.djl.ndarray.NDArray;

/** Mean pooling over masked positions: \(\bar h_n = \sum_s m_{ns} h_{ns} / \sum_s m_{ns}\). */
public final class MaskedMean {

    private MaskedMean() {}

    /**
     * Pools hidden states.
     *
     * @param hidden {@code [N, S, H]}
     * @param mask {@code [N, S]} of 0/1, at least one 1 per row
     * @return {@code [N, H]}
     */
    public static NDArray of(NDArray hidden, NDArray mask) {
        NDArray m = mask.toType(hidden.getDataType(), false).expandDims(2);
        return hidden.mul(m).sum(new int[] {1}).div(m.sum(new int[] {1}));
    }
}
