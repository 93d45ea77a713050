package io.moezoo.onnx.moe;

import io.moezoo.blocks.routing.GroupLimitedRouter;
import io.moezoo.blocks.routing.Router;
import io.moezoo.blocks.spec.CapacityLimited;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertChoiceSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.GroupScore;
import io.moezoo.blocks.spec.NoisyTopKSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.ScoringFunction;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;
import io.moezoo.blocks.spec.SwitchSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.blocks.spec.TopPSpec;
import io.moezoo.onnx.UnsupportedExportException;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.graph.OnnxTensor;

/**
 * Writes a router's inference-time rule into a graph: float32 logits {@code x·Wᵀ (+ b)}, then the
 * selection rule of the spec, giving {@link Routing} (weights and indices {@code [T, k]}).
 *
 * <p>Supported: {@code softmax_top_k} (with and without renormalisation, scaling factor, null
 * experts), {@code top_k_softmax} (with logit bias), {@code group_limited} (DeepSeek-V2 softmax and
 * V3 sigmoid, correction bias, MAX or TOP2_SUM group scores) and {@code noisy_top_k} (at inference
 * the noise is off: top-k of the clean logits, softmax over the k). The capacity and variable-count
 * routers throw {@link UnsupportedExportException}.
 */
public final class RouterExport {

    private RouterExport() {}

    /**
     * Adds the router to the graph.
     *
     * @param ops the graph
     * @param router the router block (initialized)
     * @param x the float32 router input {@code [T, H]}
     * @param groupTokens int64 {@code [1]}: the tokens per routing group (the sequence length),
     *     used by the capacity routers
     * @param prefix the initializer name prefix
     * @return the routing values
     * @throws UnsupportedExportException if the router's rule has no ONNX form here
     */
    public static Routing export(
            OnnxOps ops, Router router, String x, String groupTokens, String prefix) {
        RouterSpec spec = router.getSpec();
        String logits = logits(ops, router, x, prefix);
        if (spec instanceof SoftmaxTopKSpec s) {
            return softmaxTopK(ops, s, logits);
        } else if (spec instanceof TopKSoftmaxSpec s) {
            return topKSoftmax(ops, logits, s.topK(), s.scalingFactor(), s.numChoices());
        } else if (spec instanceof NoisyTopKSpec s) {
            return topKSoftmax(ops, logits, s.topK(), s.scalingFactor(), s.numChoices());
        } else if (spec instanceof GroupLimitedSpec s) {
            return groupLimited(ops, (GroupLimitedRouter) router, s, logits, prefix);
        } else if (spec instanceof SwitchSpec || spec instanceof CapacityTopKSpec) {
            // Inference: no jitter or noise; softmax, top-k, raw (or renormalised) gates, capacity.
            String[] top = ops.topK(ops.softmax(logits, -1), spec.topK(), -1);
            String kept =
                    CapacityRouting.apply(
                            ops, (CapacityLimited) spec, top[0], top[1], groupTokens, prefix);
            return new Routing(finish(ops, spec, top[0]), kept, spec.numChoices());
        } else if (spec instanceof TopPSpec s) {
            return TokenSetRouting.topP(ops, s, router.numSlots(), logits);
        } else if (spec instanceof ExpertChoiceSpec s) {
            return TokenSetRouting.expertChoice(ops, s, logits, groupTokens);
        }
        throw new UnsupportedExportException(
                "router '" + typeOf(spec) + "'", "this router kind has no ONNX form here yet");
    }

    /**
     * Returns the JSON {@code "type"} of a router spec.
     *
     * @param spec the spec
     * @return the type name
     */
    static String typeOf(RouterSpec spec) {
        return com.google.gson.JsonParser.parseString(spec.toJson())
                .getAsJsonObject()
                .get("type")
                .getAsString();
    }

    private static String logits(OnnxOps ops, Router router, String x, String prefix) {
        ParameterData w = ParameterData.of(router.getDirectParameters().get("weight"));
        String logits =
                ops.matMul(x, ops.constant(w.transposeLast().tensor(prefix + "router.weight_t")));
        if (router.getSpec().bias()) {
            ParameterData b = ParameterData.of(router.getDirectParameters().get("bias"));
            logits = ops.add(logits, ops.constant(b.tensor(prefix + "router.bias")));
        }
        return logits;
    }

    private static Routing softmaxTopK(OnnxOps ops, SoftmaxTopKSpec s, String logits) {
        String probs = ops.softmax(logits, -1);
        String[] top = ops.topK(probs, s.topK(), -1);
        String weights;
        if (s.normalizeTopK()) {
            // As the block: the softmax over the selected logits equals p_i / Σ_topk p_j.
            weights = ops.softmax(ops.gatherElements(logits, top[1], 1), -1);
        } else {
            weights = top[0];
        }
        return new Routing(ops.scale(weights, s.scalingFactor()), top[1], s.numChoices());
    }

    private static Routing topKSoftmax(
            OnnxOps ops, String logits, int k, float scaling, int choices) {
        String[] top = ops.topK(logits, k, -1);
        return new Routing(ops.scale(ops.softmax(top[0], -1), scaling), top[1], choices);
    }

    private static Routing groupLimited(
            OnnxOps ops, GroupLimitedRouter router, GroupLimitedSpec s, String logits, String p) {
        int e = s.numExperts();
        int groups = s.numGroups();
        String scores =
                s.scoring() == ScoringFunction.SIGMOID
                        ? ops.unary("Sigmoid", logits)
                        : ops.softmax(logits, -1);
        String choice = scores;
        if (router.getCorrectionBias() != null) {
            ParameterData b = ParameterData.of(router.getCorrectionBias());
            choice = ops.add(scores, ops.constant(b.tensor(p + "router.e_score_correction_bias")));
        }
        if (groups > 1 && s.topKGroups() < groups) {
            String grouped = ops.reshape(choice, -1, groups, e / groups);
            String groupScores =
                    s.groupScore() == GroupScore.TOP2_SUM
                            ? ops.reduceSum(ops.topK(grouped, 2, -1)[0], false, -1)
                            : ops.reduceMax(grouped, false, -1);
            String kept = ops.topK(groupScores, s.topKGroups(), -1)[1]; // [T, kg]
            long[] range = new long[groups];
            for (int i = 0; i < groups; i++) {
                range[i] = i;
            }
            String ids = ops.constant(OnnxTensor.vector(p + "router.group_ids", range));
            // [T, kg, 1] == [G] -> [T, kg, G]; any over kg -> [T, G]; broadcast over the group.
            String hit = ops.cast(ops.equal(ops.unsqueeze(kept, -1), ids), OnnxDataType.FLOAT);
            String groupMask = ops.cast(ops.reduceMax(hit, false, 1), OnnxDataType.BOOL); // [T, G]
            String negInf = ops.graph().scalar(Float.NEGATIVE_INFINITY);
            String masked = ops.where(ops.unsqueeze(groupMask, -1), grouped, negInf);
            choice = ops.reshape(masked, -1, e);
        }
        String index = ops.topK(choice, s.topK(), -1)[1];
        return new Routing(finish(ops, s, ops.gatherElements(scores, index, 1)), index, e);
    }

    /**
     * {@code Router.finishWeights}: w / (Σw + 1e-20) when renormalising, then × scaling.
     *
     * @param ops the graph
     * @param spec the router spec
     * @param weights the selected weights
     * @return the combine weights
     */
    static String finish(OnnxOps ops, RouterSpec spec, String weights) {
        String w = weights;
        if (spec.normalizeTopK()) {
            String sum = ops.add(ops.reduceSum(w, true, -1), ops.graph().scalar(1e-20f));
            w = ops.div(w, sum);
        }
        return ops.scale(w, spec.scalingFactor());
    }
}
