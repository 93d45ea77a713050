package io.moezoo.blocks.dispatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.moezoo.blocks.routing.RoutingDecision;

/**
 * The combine step shared by the dispatchers: \(y_t = \sum_r w_{t,r}\, Y_{i(t,r)}\).
 *
 * <p>It gathers each token's R expert rows into {@code [T, R, H]} and contracts them with the
 * weights {@code [T, 1, R]} in one batched matmul. This replaces the index-add DJL lacks with one
 * gather, applies the routing weights without a separate pass over the rows, and sums each token's
 * experts in slot order.
 */
final class Combine {

    private Combine() {}

    /**
     * Combines expert rows.
     *
     * @param rows the unweighted expert outputs {@code [N, H]}; the rows the index names for
     *     missing rounds must be zero
     * @param index for each (token, round), the row to add, length T·R
     * @param plan the dispatch plan (combine slots and shape)
     * @param decision the routing decision (weights)
     * @return {@code [T, H]} in the rows' data type
     */
    static NDArray weighted(
            NDArray rows, long[] index, DispatchPlan plan, RoutingDecision decision) {
        NDManager manager = rows.getManager();
        int tokens = plan.numTokens();
        int rounds = plan.rounds();
        long hidden = rows.getShape().get(1);
        NDArray weights = decision.getWeights().toType(rows.getDataType(), false);
        if (!plan.isComplete()) {
            NDArray flat =
                    NDArrays.concat(
                            new NDList(
                                    weights.reshape(-1),
                                    manager.zeros(new Shape(1), rows.getDataType())));
            weights = flat.get(new NDIndex("{}", manager.create(plan.combineSlots())));
        }
        NDArray picked = rows.get(new NDIndex("{}", manager.create(index)));
        if (rounds == 1) {
            return picked.mul(weights.reshape(tokens, 1));
        }
        return weights.reshape(tokens, 1, rounds)
                .batchMatMul(picked.reshape(new Shape(tokens, rounds, hidden)))
                .reshape(tokens, hidden);
    }
}
