package io.moezoo.blocks.dispatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.routing.RoutingDecision;
import java.util.Arrays;

/**
 * Capacity (padded) dispatch, the GShard / Switch / Tutel layout without one-hot tensors.
 *
 * <p>Each expert gets a buffer of C' rows: the router's capacity times the number of routing groups
 * for capacity routers, else the largest expert load. Assignments fill their expert's buffer in
 * sorted order, empty rows hold zeros, all experts run in one batched matmul chain on {@code [E,
 * C', H]}, and the outputs are combined as in {@link SortedDispatcher}. It trades padded FLOPs for
 * static shapes.
 */
public final class PaddedDispatcher implements Dispatcher {

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
        int tokens = plan.numTokens();
        long hidden = x.getShape().get(1);
        int numExperts = decision.getNumExperts();
        int capacity =
                decision.getCapacity() > 0
                        ? decision.getCapacity() * (tokens / decision.getGroupSize())
                        : plan.maxCount();
        if (plan.assignments() == 0 || capacity == 0) {
            return manager.zeros(x.getShape(), x.getDataType());
        }
        int bufferRows = numExperts * capacity;
        long[] bufferToken = new long[bufferRows];
        Arrays.fill(bufferToken, tokens); // the zero row appended to x
        long[] combine = plan.combineIndex().clone();
        long[] bufferOfAssignment = new long[plan.assignments()];
        for (int p = 0; p < plan.assignments(); p++) {
            int row = plan.sortedExperts()[p] * capacity + plan.rankInExpert()[p];
            bufferToken[row] = plan.sortedTokens()[p];
            bufferOfAssignment[p] = row;
        }
        for (int i = 0; i < combine.length; i++) {
            combine[i] =
                    combine[i] < plan.assignments()
                            ? bufferOfAssignment[(int) combine[i]]
                            : bufferRows;
        }
        NDArray zeroRow = manager.zeros(new Shape(1, hidden), x.getDataType());
        NDArray buffer =
                NDArrays.concat(new NDList(x, zeroRow))
                        .get(new NDIndex("{}", manager.create(bufferToken)))
                        .reshape(numExperts, capacity, hidden);
        NDArray out =
                experts.forwardPadded(parameterStore, buffer, training).reshape(bufferRows, hidden);
        // Padded rows may be non-zero (biases), so missing rounds point at an appended zero row.
        out = NDArrays.concat(new NDList(out, zeroRow));
        return Combine.weighted(out, combine, plan, decision);
    }
}
