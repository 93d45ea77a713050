package io.moezoo.blocks.dispatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The combine step shared by the dispatchers: gather each token's weighted expert rows into {@code
 * [T, R, H]} and sum over R. It replaces the index-add that DJL lacks with one gather, and sums
 * each token's experts in slot order.
 */
final class Combine {

    private Combine() {}

    /**
     * Combines weighted rows.
     *
     * @param rows the weighted expert outputs {@code [N, H]}, whose last row is zero when the index
     *     refers to it
     * @param index for each (token, round), the row to add, length T·R
     * @param tokens T
     * @param rounds R
     * @return {@code [T, H]}
     */
    static NDArray rows(NDArray rows, long[] index, int tokens, int rounds) {
        long hidden = rows.getShape().get(1);
        NDArray picked = rows.get(new NDIndex("{}", rows.getManager().create(index)));
        if (rounds == 1) {
            return picked;
        }
        return picked.reshape(new Shape(tokens, rounds, hidden)).sum(new int[] {1});
    }
}
