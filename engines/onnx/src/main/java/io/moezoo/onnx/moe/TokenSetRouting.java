package io.moezoo.onnx.moe;

import io.moezoo.blocks.spec.ExpertChoiceSpec;
import io.moezoo.blocks.spec.TopPSpec;
import io.moezoo.onnx.graph.OnnxAttribute;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.graph.OnnxTensor;
import java.util.List;

/**
 * The routers whose number of experts per token varies, written with a fixed number of slots and
 * index −1 (weight 0) in the unused ones: top-p (slots = maxExperts) and expert choice (slots = E,
 * slot e holds expert e when e picked the token).
 */
final class TokenSetRouting {

    private TokenSetRouting() {}

    /**
     * Top-p: the sorted probabilities are kept while the sum of the ones before stays below p
     * (double-precision {@code CumSum}, exclusive, as the block accumulates in double), at least
     * {@code minExperts}.
     *
     * @param ops the graph
     * @param spec the spec
     * @param slots maxExperts
     * @param logits the router logits {@code [T, E']}
     * @return the routing ({@code [T, slots]})
     */
    static Routing topP(OnnxOps ops, TopPSpec spec, int slots, String logits) {
        String[] top = ops.topK(ops.softmax(logits, -1), slots, -1);
        String before =
                ops.graph()
                        .op(
                                "CumSum",
                                List.of(ops.cast(top[0], OnnxDataType.DOUBLE), ops.scalarInt(1)),
                                OnnxAttribute.of("exclusive", 1L));
        String underP =
                ops.graph()
                        .op(
                                "Less",
                                List.of(
                                        before,
                                        ops.constant(
                                                OnnxTensor.scalarDouble(
                                                        "const_f64", (double) spec.topP()))));
        long[] slotIds = new long[slots];
        for (int s = 0; s < slots; s++) {
            slotIds[s] = s;
        }
        String slot = ops.constant(OnnxTensor.vector("top_p_slots", slotIds));
        String minimum = ops.graph().op("Less", List.of(slot, ops.graph().ints(spec.minExperts())));
        String kept = ops.graph().op("Or", List.of(underP, minimum));
        String selected = ops.mul(top[0], ops.cast(kept, OnnxDataType.FLOAT));
        String index = ops.where(kept, top[1], ops.graph().scalarInt(-1));
        return new Routing(RouterExport.finish(ops, spec, selected), index, spec.numChoices());
    }

    /**
     * Expert choice: per routing group of G tokens, each expert takes the C tokens with its highest
     * softmax scores (C = min(capacity, G)); the token's weight for the expert is its score (times
     * the scaling factor), 0 where the expert did not pick it.
     *
     * @param ops the graph
     * @param spec the spec
     * @param logits the router logits {@code [T, E]}
     * @param groupTokens int64 {@code [1]}: the tokens per group
     * @return the routing ({@code [T, E]})
     */
    static Routing expertChoice(
            OnnxOps ops, ExpertChoiceSpec spec, String logits, String groupTokens) {
        int e = spec.numExperts();
        String group =
                spec.groupSize() > 0 ? ops.graph().ints(spec.groupSize()) : groupTokens; // [1]
        String scores = ops.softmax(logits, -1);
        String minusOne = ops.graph().ints(-1);
        String grouped =
                ops.reshapeTo(scores, ops.concat(0, List.of(minusOne, group, ops.graph().ints(e))));
        String perExpert = ops.transpose(grouped, 0, 2, 1); // [B, E, G]
        String capacity =
                ops.cast(
                        CapacityRouting.capacity(ops, spec, group, spec.topK()),
                        OnnxDataType.INT64);
        String c = ops.graph().op("Min", List.of(capacity, group)); // [1]
        String picked =
                ops.graph()
                        .ops(
                                "TopK",
                                2,
                                List.of(perExpert, c),
                                OnnxAttribute.of("axis", -1L),
                                OnnxAttribute.of("largest", 1L),
                                OnnxAttribute.of("sorted", 1L))[1]; // [B, E, C]
        String tokens =
                ops.graph()
                        .op(
                                "Range",
                                List.of(ops.scalarInt(0), ops.squeeze(group, 0), ops.scalarInt(1)));
        String hit = ops.cast(ops.equal(ops.unsqueeze(picked, -1), tokens), OnnxDataType.FLOAT);
        String mask = ops.transpose(ops.reduceMax(hit, false, 2), 0, 2, 1); // [B, G, E]
        mask = ops.reshapeTo(mask, ops.shape(scores)); // [T, E]
        String weights = ops.scale(ops.mul(scores, mask), spec.scalingFactor());
        long[] ids = new long[e];
        for (int i = 0; i < e; i++) {
            ids[i] = i;
        }
        String experts = ops.constant(OnnxTensor.vector("expert_choice_ids", ids));
        String index =
                ops.where(ops.cast(mask, OnnxDataType.BOOL), experts, ops.graph().scalarInt(-1));
        return new Routing(weights, index, e);
    }
}
