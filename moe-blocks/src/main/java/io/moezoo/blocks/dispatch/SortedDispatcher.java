package io.moezoo.blocks.dispatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.routing.RoutingDecision;

/**
 * Dropless sort-based dispatch (the MegaBlocks / ScatterMoE / vLLM family, with a counting sort).
 *
 * <ol>
 *   <li>{@link DispatchPlan}: group the A non-empty (token, slot) assignments by expert.
 *   <li>Gather {@code x[token]} for every assignment: {@code [A, H]}, contiguous per expert.
 *   <li>Run each non-empty expert once on its slice (one matmul chain per expert).
 *   <li>{@link Combine}: gather each token's rows back and contract them with its routing weights
 *       in one batched matmul (gradients reach the router through the weights).
 * </ol>
 *
 * <p>Costs O(A·H) memory traffic beyond the expert FLOPs, with no capacity and no padding.
 */
public final class SortedDispatcher implements Dispatcher {

    /** {@inheritDoc} */
    @Override
    public NDArray dispatch(
            ParameterStore parameterStore,
            NDArray x,
            RoutingDecision decision,
            Experts experts,
            boolean training) {
        DispatchPlan plan = DispatchPlan.of(decision);
        NDManager manager = x.getManager();
        if (plan.assignments() == 0) {
            return manager.zeros(x.getShape(), x.getDataType());
        }
        NDArray rows = x.get(new NDIndex("{}", manager.create(plan.sortedTokens())));
        NDArray out = experts.forwardGrouped(parameterStore, rows, plan.counts(), training);
        if (!plan.isComplete()) {
            out =
                    NDArrays.concat(
                            new ai.djl.ndarray.NDList(
                                    out,
                                    manager.zeros(
                                            new Shape(1, x.getShape().get(1)), x.getDataType())));
        }
        return Combine.weighted(out, plan.combineIndex(), plan, decision);
    }
}
