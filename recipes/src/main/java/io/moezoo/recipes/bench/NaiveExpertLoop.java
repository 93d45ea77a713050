package io.moezoo.recipes.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.routing.RoutingDecision;

/**
 * The Hugging Face "eager" dispatch transcribed to DJL: for every expert, find its tokens with
 * engine-side masks ({@code where(one_hot(idx) == e)}), gather them, run the expert, scale, and add
 * the rows back into a full-size buffer (DJL has no index_add, so each expert's rows are put into
 * zeros and summed). The expert matmuls themselves share the bank's grouped path.
 */
public final class NaiveExpertLoop {

    private NaiveExpertLoop() {}

    /**
     * Runs the routed experts the naive way.
     *
     * @param ps the parameter store
     * @param x the tokens {@code [T, H]}
     * @param d the routing decision
     * @param experts the expert bank
     * @param training whether in training mode
     * @return {@code [T, H]}
     */
    public static NDArray forward(
            ParameterStore ps, NDArray x, RoutingDecision d, Experts experts, boolean training) {
        NDManager m = x.getManager();
        int e = d.getNumExperts();
        long[] slots = new long[d.getExperts().length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = d.getExperts()[i];
        }
        NDArray index = m.create(slots, new Shape(d.getNumTokens(), d.getNumSlots()));
        NDList rows = new NDList();
        NDList inputs = new NDList();
        NDList weights = new NDList();
        int[] counts = new int[e];
        for (int expert = 0; expert < e; expert++) {
            NDArray hit = index.eq(expert);
            NDArray tokenWeight =
                    d.getWeights().mul(hit.toType(DataType.FLOAT32, false)).sum(new int[] {1});
            NDArray tokens =
                    hit.toType(DataType.INT32, false)
                            .sum(new int[] {1})
                            .gt(0)
                            .nonzero()
                            .reshape(-1);
            counts[expert] = Math.toIntExact(tokens.size());
            if (counts[expert] > 0) {
                rows.add(tokens);
                inputs.add(x.get(new NDIndex("{}", tokens)));
                weights.add(tokenWeight.get(new NDIndex("{}", tokens)));
            }
        }
        NDArray out = m.zeros(x.getShape(), x.getDataType());
        if (rows.isEmpty()) {
            return out;
        }
        NDArray y = experts.forwardGrouped(ps, NDArrays.concat(inputs), counts, training);
        long start = 0;
        for (int i = 0; i < rows.size(); i++) {
            long n = rows.get(i).size();
            NDArray part =
                    y.get(new NDIndex("{}:{}", start, start + n)).mul(weights.get(i).expandDims(1));
            NDArray full = m.zeros(x.getShape(), x.getDataType());
            full.set(new NDIndex("{}", rows.get(i)), part);
            out = out.add(full);
            start += n;
        }
        return out;
    }
}
