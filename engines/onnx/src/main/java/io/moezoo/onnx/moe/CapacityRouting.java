package io.moezoo.onnx.moe;

import io.moezoo.blocks.spec.CapacityLimited;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.graph.OnnxTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Expert capacity in a graph ({@code switch}, {@code capacity_top_k}): per routing group of G
 * tokens, each expert keeps at most C of the (token, slot) choices, all first choices before all
 * second ones, tokens in sequence order or, with batch-prioritized routing, by descending top-1
 * gate (ties in sequence order), exactly as {@code ExpertCapacity.assign}. Dropped choices get
 * index -1, so they compute nothing and add nothing.
 *
 * <p>The queue position of choice (t, s) for its expert e is the number of choices of e in earlier
 * slots of the group ({@code ReduceSum}, accumulated slot by slot) plus those of slot s from tokens
 * ahead of t ({@code MatMul} of the G×G "ahead of" matrix with the slot's one-hot choices); it is
 * kept iff that position is below C. C is computed in the graph from G in double precision, as the
 * spec computes it.
 */
final class CapacityRouting {

    private CapacityRouting() {}

    /**
     * Applies capacity to top-k choices.
     *
     * @param ops the graph
     * @param spec the capacity spec
     * @param values the top-k gate values {@code [T, k]}, sorted descending
     * @param indices the top-k choices {@code [T, k]}
     * @param groupTokens int64 {@code [1]}: the tokens per routing group (from the input shape)
     * @param prefix the initializer name prefix
     * @return the indices with dropped choices at -1
     */
    static String apply(
            OnnxOps ops,
            CapacityLimited spec,
            String values,
            String indices,
            String groupTokens,
            String prefix) {
        int k = spec.topK();
        int e = spec.numExperts();
        String group =
                spec.groupSize() > 0 ? ops.graph().ints(spec.groupSize()) : groupTokens; // [1]
        long[] range = new long[e];
        for (int i = 0; i < e; i++) {
            range[i] = i;
        }
        String ids = ops.constant(OnnxTensor.vector(prefix + "router.capacity_ids", range));
        String hits = ops.cast(ops.equal(ops.unsqueeze(indices, -1), ids), OnnxDataType.FLOAT);
        String minusOne = ops.graph().ints(-1);
        String hitShape = ops.concat(0, List.of(minusOne, group, ops.graph().ints(k, e)));
        String grouped = ops.reshapeTo(hits, hitShape); // [B, G, k, E]
        // Priority key: the top-1 gate with batch-prioritized routing, else 0 (sequence order).
        String top1 = ops.gather(values, ops.scalarInt(0), 1); // [T]
        boolean bpr = spec instanceof CapacityTopKSpec c && c.batchPrioritized();
        String key = bpr ? top1 : ops.mul(top1, ops.graph().scalar(0f));
        key = ops.reshapeTo(key, ops.concat(0, List.of(minusOne, group))); // [B, G]
        String ahead = aheadMatrix(ops, key, group); // [B, G, G] float: row t, column t'
        String capacity = capacity(ops, spec, group, k);
        String previous = null;
        List<String> kept = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            String slot = ops.gather(grouped, ops.scalarInt(s), 2); // [B, G, E]
            String count = ops.matMul(ahead, slot);
            if (previous != null) {
                count = ops.add(count, previous);
            }
            String position = ops.reduceSum(ops.mul(count, slot), false, -1); // [B, G]
            kept.add(ops.unsqueeze(ops.graph().op("Less", List.of(position, capacity)), -1));
            String slotLoad = ops.reduceSum(slot, true, 1); // [B, 1, E]
            previous = previous == null ? slotLoad : ops.add(previous, slotLoad);
        }
        String keep = k == 1 ? kept.get(0) : ops.concat(-1, kept); // [B, G, k]
        keep = ops.reshapeTo(keep, ops.shape(indices));
        return ops.where(keep, indices, ops.graph().scalarInt(-1));
    }

    private static String aheadMatrix(OnnxOps ops, String key, String group) {
        String other = ops.unsqueeze(key, 1); // [B, 1, G]: t'
        String self = ops.unsqueeze(key, 2); // [B, G, 1]: t
        String greater = ops.graph().op("Greater", List.of(other, self));
        String tie = ops.equal(other, self);
        String size = ops.squeeze(group, 0);
        String index =
                ops.graph().op("Range", List.of(ops.scalarInt(0), size, ops.scalarInt(1))); // [G]
        String earlier =
                ops.graph().op("Less", List.of(ops.unsqueeze(index, 0), ops.unsqueeze(index, 1)));
        String ahead =
                ops.graph()
                        .op("Or", List.of(greater, ops.graph().op("And", List.of(tie, earlier))));
        return ops.cast(ahead, OnnxDataType.FLOAT);
    }

    /**
     * The expert capacity C per routing group, as {@code CapacityLimited.expertCapacity}.
     *
     * @param ops the graph
     * @param spec the spec
     * @param group int64 {@code [1]}: the tokens per group
     * @param k the choices per token
     * @return C as float {@code [1]}
     */
    static String capacity(OnnxOps ops, CapacityLimited spec, String group, int k) {
        long m = spec.capacityMultiple();
        String c;
        if (spec.capacity() > 0) {
            c = ops.graph().ints(((spec.capacity() + m - 1) / m) * m);
        } else {
            // ceil(k·G·cf/E − 1e-9) in double, in the spec's order of operations.
            String g = ops.cast(group, OnnxDataType.DOUBLE);
            String kg = ops.mul(g, ops.constant(OnnxTensor.scalarDouble("const_f64", k)));
            String scaled =
                    ops.mul(
                            kg,
                            ops.constant(
                                    OnnxTensor.scalarDouble(
                                            "const_f64", (double) spec.capacityFactor())));
            String ratio =
                    ops.div(
                            scaled,
                            ops.constant(OnnxTensor.scalarDouble("const_f64", spec.numExperts())));
            String shifted =
                    ops.sub(ratio, ops.constant(OnnxTensor.scalarDouble("const_f64", 1e-9)));
            c = ops.cast(ops.unary("Ceil", shifted), OnnxDataType.INT64);
            if (m > 1) {
                String up = ops.add(c, ops.graph().ints(m - 1));
                c = ops.mul(ops.div(up, ops.graph().ints(m)), ops.graph().ints(m));
            }
        }
        return ops.cast(c, OnnxDataType.FLOAT); // [1]
    }
}
