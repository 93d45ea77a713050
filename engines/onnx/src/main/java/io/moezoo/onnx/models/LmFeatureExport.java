package io.moezoo.onnx.models;

import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.models.reward.LmFeatureWindow;
import io.moezoo.onnx.graph.GraphBuilder;
import io.moezoo.onnx.graph.OnnxAttribute;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.graph.OnnxTensor;
import io.moezoo.onnx.moe.DispatchMode;
import java.util.List;

/**
 * Writes {@link LanguageModelFeatures}, the part both reward models over a language model share:
 * the frozen language model twice (on {@code ids}, and on the start token followed by the
 * response's tokens), the {@value LanguageModelFeatures#COUNT} log-likelihood statistics and the
 * prompt's mean hidden state.
 *
 * <p>As the block, both passes run only up to the longest input of the batch (a {@code Slice} to
 * {@code max(sum(prompt_mask + response_mask))}, and the response pass to the longest response), so
 * the MoE routing groups are the block's even for capacity routers. The language model's weights
 * are stored once ({@link OnnxOps#sharingConstants}). The conditional pass projects onto the
 * vocabulary only the positions before the response tokens (the same rows of the same logits).
 */
final class LmFeatureExport {

    private static final float LARGE = 1e4f;

    private final OnnxOps ops;
    private final GraphBuilder g;
    private final LmFeatureWindow window;

    private LmFeatureExport(OnnxOps ops, LmFeatureWindow window) {
        this.ops = ops;
        this.g = ops.graph();
        this.window = window;
    }

    /**
     * Adds the statistics and the prompt state to a graph.
     *
     * @param ops the graph, sharing constants (the language model is written twice)
     * @param features the block
     * @param window its lengths, k, t and start token
     * @param ids int64 {@code [B, S]}
     * @param pm the prompt mask {@code [B, S]}
     * @param rm the response mask {@code [B, S]}
     * @param dispatch how the language model's MoE layers run their experts
     * @return {@code [statistics [B, F], prompt state [B, H]]}
     */
    static String[] write(
            OnnxOps ops,
            LanguageModelFeatures features,
            LmFeatureWindow window,
            String ids,
            String pm,
            String rm,
            DispatchMode dispatch) {
        return new LmFeatureExport(ops, window).write(features, ids, pm, rm, dispatch);
    }

    private String[] write(
            LanguageModelFeatures features,
            String ids,
            String pm,
            String rm,
            DispatchMode dispatch) {
        MoeCausalLm lm = features.getLanguageModel();
        // The longest input and the longest response (at least 1, as the block).
        String length =
                atLeastOne(ops.reduceMax(ops.reduceSum(ops.add(pm, rm), false, 1), false, 0));
        String r = atLeastOne(ops.reduceMax(ops.reduceSum(rm, false, 1), false, 0));
        String kept = ops.unsqueeze(length, 0); // [1]
        ids = slice(ids, g.ints(0), kept, 1);
        pm = slice(pm, g.ints(0), kept, 1);
        rm = slice(rm, g.ints(0), kept, 1);

        // Response-relative positions: token j of the response sits at p + j (clamped).
        String promptLength = ops.cast(ops.reduceSum(pm, true, 1), OnnxDataType.INT64); // [B, 1]
        String j = ops.unsqueeze(g.op("Range", List.of(ops.scalarInt(0), r, ops.scalarInt(1))), 0);
        String position =
                g.op(
                        "Min",
                        List.of(
                                ops.add(promptLength, j),
                                ops.sub(length, ops.scalarInt(1)))); // [B, r]
        String n = ops.reduceSum(rm, true, 1); // [B, 1]
        String jf = ops.cast(j, OnnxDataType.FLOAT); // [1, r]
        String valid = floatOf(g.op("Less", List.of(jf, n))); // [B, r]
        String responseIds = ops.gatherElements(ids, position, 1); // [B, r]

        // Conditional pass: logp of ids[q] given ids[<q] for q = position (0 at q = 0).
        String hidden = LanguageExporter.hiddenStates(ops, lm, ids, dispatch); // [B, L, H]
        String before = g.op("Max", List.of(ops.sub(position, ops.scalarInt(1)), ops.scalarInt(0)));
        String previous =
                g.op(
                        "GatherND",
                        List.of(hidden, ops.unsqueeze(before, 2)),
                        OnnxAttribute.of("batch_dims", 1L)); // [B, r, H]
        String picked = logProbs(LanguageExporter.project(ops, lm, previous), responseIds);
        String first = ops.equal(position, ops.scalarInt(0));
        String conditional = ops.where(first, g.scalar(0f), picked);

        // Unconditional pass over [start, response...]: logits at t predict token t + 1.
        String batch = g.op("Slice", List.of(ops.shape(ids), g.ints(0), g.ints(1)));
        String start =
                g.op(
                        "ConstantOfShape",
                        List.of(ops.concat(0, List.of(batch, g.ints(1)))),
                        OnnxAttribute.of(
                                "value",
                                OnnxTensor.longs("", new long[] {1}, window.startToken())));
        String alone = ops.concat(1, List.of(start, responseIds)); // [B, r + 1]
        String aloneHidden = LanguageExporter.hiddenStates(ops, lm, alone, dispatch);
        String unconditional =
                logProbs(
                        LanguageExporter.project(
                                ops, lm, slice(aloneHidden, g.ints(0), ops.unsqueeze(r, 0), 1)),
                        responseIds);
        String pmi = ops.sub(conditional, unconditional);

        String boundary =
                ops.mul(
                        valid,
                        floatOf(g.op("Less", List.of(jf, g.scalar(window.boundaryTokens())))));
        String tail =
                ops.mul(
                        valid,
                        floatOf(
                                g.op(
                                        "GreaterOrEqual",
                                        List.of(jf, ops.sub(n, g.scalar(window.tailTokens()))))));
        String statistics =
                ops.concat(
                        1,
                        List.of(
                                mean(conditional, valid),
                                mean(unconditional, valid),
                                mean(pmi, valid),
                                min(conditional, valid),
                                min(pmi, valid),
                                ops.div(ops.reduceSum(ops.mul(pmi, valid), true, 1), g.scalar(10f)),
                                mean(conditional, boundary),
                                mean(pmi, boundary),
                                mean(conditional, tail),
                                ops.unary("Log", n))); // [B, F]
        String m = ops.unsqueeze(pm, 2);
        String promptState =
                ops.div(ops.reduceSum(ops.mul(hidden, m), false, 1), ops.reduceSum(m, false, 1));
        return new String[] {statistics, promptState};
    }

    /**
     * \(\log \mathrm{softmax}(\ell)[t]\) for logits {@code [B, r, V]} and targets {@code [B, r]}.
     */
    private String logProbs(String logits, String targets) {
        String logSoftmax = g.op("LogSoftmax", List.of(logits), OnnxAttribute.of("axis", -1L));
        return ops.squeeze(ops.gatherElements(logSoftmax, ops.unsqueeze(targets, 2), 2), 2);
    }

    /** {@code sum(x·mask) / max(sum(mask), 1)} over axis 1, kept: {@code [B, 1]}. */
    private String mean(String x, String mask) {
        return ops.div(
                ops.reduceSum(ops.mul(x, mask), true, 1),
                g.op("Max", List.of(ops.reduceSum(mask, true, 1), g.scalar(1f))));
    }

    /** {@code min(x + (1 - mask)·10⁴)} over axis 1, kept: {@code [B, 1]}. */
    private String min(String x, String mask) {
        String masked = ops.add(x, ops.mul(ops.sub(g.scalar(1f), mask), g.scalar(LARGE)));
        return g.op(
                "ReduceMin",
                List.of(masked),
                OnnxAttribute.ints("axes", 1L),
                OnnxAttribute.of("keepdims", 1L));
    }

    /** A float count as an int64 scalar, at least 1 (the cast truncates, as the block's). */
    private String atLeastOne(String count) {
        return g.op("Max", List.of(ops.cast(count, OnnxDataType.INT64), ops.scalarInt(1)));
    }

    private String floatOf(String condition) {
        return ops.cast(condition, OnnxDataType.FLOAT);
    }

    private String slice(String x, String starts, String ends, long axis) {
        return g.op("Slice", List.of(x, starts, ends, g.ints(axis)));
    }
}
