package io.moezoo.onnx.models;

import io.moezoo.models.reward.LmArmoRewardModel;
import io.moezoo.onnx.graph.GraphBuilder;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.nn.Blocks;
import io.moezoo.translators.reward.RewardOutputs;

/**
 * Writes {@link LmArmoRewardModel}: the language-model features ({@link LmFeatureExport}), their
 * standardisation, the per-objective regression, the gating network over the prompt's mean hidden
 * state (batch norm in inference mode, as {@link RewardExporter} writes the byte-level ArmoRM's)
 * and the gate-weighted score.
 */
final class LmArmoRewardExport {

    private LmArmoRewardExport() {}

    /**
     * Adds the model and its three outputs to a graph.
     *
     * @param ops the graph
     * @param model the block
     * @param ids int64 {@code [B, S]}
     * @param pm the prompt mask {@code [B, S]}
     * @param rm the response mask {@code [B, S]}
     * @param dispatch how the language model's MoE layers run their experts
     */
    static void write(
            OnnxOps ops,
            LmArmoRewardModel model,
            String ids,
            String pm,
            String rm,
            DispatchMode dispatch) {
        OnnxOps shared = ops.sharingConstants();
        GraphBuilder g = shared.graph();
        String[] features =
                LmFeatureExport.write(
                        shared, model.getFeatures(), model.getSpec(), ids, pm, rm, dispatch);
        String x =
                shared.div(
                        shared.sub(features[0], vector(shared, model, "feature_shift")),
                        vector(shared, model, "feature_scale"));
        String rewards =
                shared.matMul(
                        x,
                        shared.constant(
                                Blocks.param(model, "regression")
                                        .transposeLast()
                                        .tensor("lm_armo.regression_t"))); // [B, C]
        String gates =
                RewardExporter.gates(
                        shared, model.getGating(), model.getSpec().gatingLayers(), features[1]);
        String score = shared.reduceSum(shared.mul(gates, rewards), false, 1);
        int objectives = model.getSpec().objectives().size();
        g.output(score, RewardOutputs.SCORE, OnnxDataType.FLOAT, "batch");
        g.output(rewards, RewardOutputs.OBJECTIVE_SCORES, OnnxDataType.FLOAT, "batch", objectives);
        g.output(gates, RewardOutputs.OBJECTIVE_WEIGHTS, OnnxDataType.FLOAT, "batch", objectives);
    }

    private static String vector(OnnxOps ops, LmArmoRewardModel model, String name) {
        return ops.constant(Blocks.param(model, name).tensor("lm_armo." + name));
    }
}
