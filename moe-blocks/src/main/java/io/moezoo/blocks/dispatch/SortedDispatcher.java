package io.moezoo.blocks.dispatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
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
        return combine(out, plan, decision);
    }

    /**
     * Combines expert outputs that are in the plan's sorted order into per-token results.
     *
     * @param out the unweighted expert outputs {@code [A, H]} in sorted order
     * @param plan the dispatch plan
     * @param decision the routing decision (weights)
     * @return {@code [T, H]}
     */
    public static NDArray combine(NDArray out, DispatchPlan plan, RoutingDecision decision) {
        NDManager manager = out.getManager();
        long hidden = out.getShape().get(1);
        DataType type = out.getDataType();
        if (!plan.isComplete()) {
            out =
                    NDArrays.concat(
                            new ai.djl.ndarray.NDList(
                                    out, manager.zeros(new Shape(1, hidden), type)));
        }
        return Combine.weighted(out, plan.combineIndex(), plan, decision);
    }
}
