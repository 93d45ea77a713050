package io.moezoo.onnx.models;

import ai.djl.nn.Block;
import io.moezoo.models.reward.ArmoRewardModel;
import io.moezoo.models.reward.DoubleLayerMoeRewardModel;
import io.moezoo.models.reward.GatingNetwork;
import io.moezoo.models.reward.LmArmoRewardModel;
import io.moezoo.models.reward.LmDoubleLayerRewardModel;
import io.moezoo.models.reward.RewardModelSpec;
import io.moezoo.onnx.graph.GraphBuilder;
import io.moezoo.onnx.graph.OnnxAttribute;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxModel;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.graph.OnnxTensor;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.moe.LoraExport;
import io.moezoo.onnx.moe.ParameterData;
import io.moezoo.onnx.nn.Blocks;
import io.moezoo.translators.reward.RewardOutputs;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports the zoo's reward models: inputs {@code ids [batch, bytes]} (int64; {@code [batch,
 * sequence]} token ids for {@link LmDoubleLayerRewardModel} and {@link LmArmoRewardModel}, over a
 * language model), {@code prompt_mask} and {@code response_mask} (float, the same shape), outputs
 * named as the blocks name them ({@value RewardOutputs#SCORE}, {@value
 * RewardOutputs#OBJECTIVE_SCORES}, and {@value RewardOutputs#CATEGORY_PROBABILITIES} for DMoERM or
 * {@value RewardOutputs#OBJECTIVE_WEIGHTS} for ArmoRM), so the reward translators read them
 * unchanged.
 *
 * <p>DMoERM routes each pair to one category (argmax of the router) and runs only that category's
 * LoRA experts; the graph runs every category's experts on every row and keeps the routed
 * category's results with a one-hot mask (exact: the other terms are multiplied by zero). This is
 * dense on purpose: with 4 categories the extra work is small and the graph stays free of
 * data-dependent control flow.
 */
public final class RewardExporter {

    /** ε of the gating network's batch norm (as {@code GatingNetwork}). */
    private static final float GATING_BN_EPS = 1e-5f;

    private RewardExporter() {}

    /**
     * Exports a reward model; the language model of a {@link LmDoubleLayerRewardModel} or {@link
     * LmArmoRewardModel} runs its MoE layers with {@link DispatchMode#SPARSE}.
     *
     * @param model a {@link DoubleLayerMoeRewardModel}, {@link ArmoRewardModel}, {@link
     *     LmDoubleLayerRewardModel} or {@link LmArmoRewardModel}
     * @return the ONNX model
     * @throws io.moezoo.onnx.UnsupportedExportException for other reward blocks
     */
    public static OnnxModel export(Block model) {
        return export(model, DispatchMode.SPARSE);
    }

    /**
     * Exports a reward model.
     *
     * @param model a {@link DoubleLayerMoeRewardModel}, {@link ArmoRewardModel}, {@link
     *     LmDoubleLayerRewardModel} or {@link LmArmoRewardModel}
     * @param dispatch how the MoE layers of the language model of a {@link
     *     LmDoubleLayerRewardModel} or {@link LmArmoRewardModel} run their experts (the byte-level
     *     models run every expert densely either way)
     * @return the ONNX model
     * @throws io.moezoo.onnx.UnsupportedExportException for other reward blocks
     */
    public static OnnxModel export(Block model, DispatchMode dispatch) {
        GraphBuilder g = new GraphBuilder("reward_model");
        OnnxOps ops = new OnnxOps(g);
        boolean overLm =
                model instanceof LmDoubleLayerRewardModel || model instanceof LmArmoRewardModel;
        String length = overLm ? "sequence" : "bytes";
        String ids = g.input("ids", OnnxDataType.INT64, "batch", length);
        String promptMask = g.input("prompt_mask", OnnxDataType.FLOAT, "batch", length);
        String responseMask = g.input("response_mask", OnnxDataType.FLOAT, "batch", length);
        String spec;
        if (model instanceof DoubleLayerMoeRewardModel d) {
            spec = d.getSpec().toJson();
            dmoerm(ops, d, ids, promptMask, responseMask);
        } else if (model instanceof ArmoRewardModel a) {
            spec = a.getSpec().toJson();
            armorm(ops, a, ids, promptMask, responseMask);
        } else if (model instanceof LmDoubleLayerRewardModel lm) {
            spec = lm.getSpec().toJson();
            LmRewardExport.write(ops, lm, ids, promptMask, responseMask, dispatch);
            g.metadata("moezoo.base", lm.getFeatures().getLanguageModel().getSpec().toJson());
            g.metadata("moezoo.dispatch", dispatch.name());
        } else if (model instanceof LmArmoRewardModel lm) {
            spec = lm.getSpec().toJson();
            LmArmoRewardExport.write(ops, lm, ids, promptMask, responseMask, dispatch);
            g.metadata("moezoo.base", lm.getFeatures().getLanguageModel().getSpec().toJson());
            g.metadata("moezoo.dispatch", dispatch.name());
        } else {
            throw new io.moezoo.onnx.UnsupportedExportException(
                    "reward model " + model.getClass().getSimpleName(),
                    "only DMoERM, ArmoRM and both over a language model are written");
        }
        g.metadata("moezoo.family", "reward");
        g.metadata("moezoo.spec", spec);
        return g.build();
    }

    private static void dmoerm(
            OnnxOps ops, DoubleLayerMoeRewardModel model, String ids, String pm, String rm) {
        GraphBuilder g = ops.graph();
        RewardModelSpec spec = model.getSpec();
        int categories = spec.categories().size();
        int objectives = spec.objectives().size();
        ByteEncoderExport encoder = new ByteEncoderExport(ops, model.getEncoder());
        String residual = encoder.beforeLastFfn(ids);
        String ffnIn = encoder.ffnInput(residual);
        String base = encoder.finish(residual, encoder.baseFfn(ffnIn));
        String router =
                ops.add(
                        ops.matMul(
                                encoder.maskedMean(base, pm),
                                constant(ops, model, "router_weight", true)),
                        constant(ops, model, "router_bias", false));
        String probabilities = ops.softmax(router, 1);
        String oneHot = topOneMask(ops, probabilities, categories, "category_ids"); // [B, G]
        LoraExport experts = new LoraExport(model.getExperts(), "");
        ParameterData valueW = param(model, "value_head_weight");
        ParameterData valueB = param(model, "value_head_bias");
        List<String> scores = new ArrayList<>();
        List<String> perObjective = new ArrayList<>();
        for (int c = 0; c < categories; c++) {
            List<String> features = new ArrayList<>();
            List<String> values = new ArrayList<>();
            for (int o = 0; o < objectives; o++) {
                int e = c * objectives + o;
                String y = experts.perExpert(ops, e, ffnIn);
                String f = encoder.maskedMean(encoder.finish(residual, y), rm); // [B, H]
                features.add(f);
                String w = ops.constant(valueW.slice(e).tensor("value_head." + e + ".weight"));
                String b = ops.constant(valueB.slice(e).tensor("value_head." + e + ".bias"));
                values.add(ops.unsqueeze(ops.add(ops.reduceSum(ops.mul(f, w), false, 1), b), 1));
            }
            perObjective.add(ops.unsqueeze(ops.concat(1, values), 1)); // [B, 1, O]
            scores.add(aggregate(ops, model, c, ops.concat(1, features))); // [B, 1]
        }
        String score = ops.reduceSum(ops.mul(ops.concat(1, scores), oneHot), false, 1); // [B]
        String objectiveScores =
                ops.reduceSum(
                        ops.mul(ops.concat(1, perObjective), ops.unsqueeze(oneHot, -1)),
                        false,
                        1); // [B, O]
        g.output(score, RewardOutputs.SCORE, OnnxDataType.FLOAT, "batch");
        g.output(
                objectiveScores,
                RewardOutputs.OBJECTIVE_SCORES,
                OnnxDataType.FLOAT,
                "batch",
                objectives);
        g.output(
                probabilities,
                RewardOutputs.CATEGORY_PROBABILITIES,
                OnnxDataType.FLOAT,
                "batch",
                categories);
    }

    /** The category's aggregator: {@code w2·prelu(w1·z + b1) + b2} on the concatenated features. */
    /**
     * The outer router's top-1 decision as a one-hot mask: {@code ArgMax} over the categories,
     * compared with the constant {@code 0..G-1}.
     *
     * @param ops the graph
     * @param probabilities {@code [B, G]}
     * @param categories G
     * @param idsName the name of the {@code 0..G-1} constant
     * @return float {@code [B, G]}
     */
    static String topOneMask(OnnxOps ops, String probabilities, int categories, String idsName) {
        String routed =
                ops.graph()
                        .op(
                                "ArgMax",
                                List.of(probabilities),
                                OnnxAttribute.of("axis", 1L),
                                OnnxAttribute.of("keepdims", 1L)); // [B, 1]
        long[] range = new long[categories];
        for (int i = 0; i < categories; i++) {
            range[i] = i;
        }
        String ids = ops.constant(OnnxTensor.vector(idsName, range));
        return ops.cast(ops.equal(routed, ids), OnnxDataType.FLOAT);
    }

    private static String aggregate(OnnxOps ops, DoubleLayerMoeRewardModel model, int c, String z) {
        String prefix = "aggregator." + c;
        String w1 =
                ops.constant(
                        param(model, "aggregator_w1")
                                .slice(c)
                                .transposeLast()
                                .tensor(prefix + ".w1_t"));
        String b1 = ops.constant(param(model, "aggregator_b1").slice(c).tensor(prefix + ".b1"));
        String alpha =
                ops.constant(param(model, "aggregator_prelu").slice(c).tensor(prefix + ".prelu"));
        String w2 =
                ops.constant(
                        param(model, "aggregator_w2")
                                .slice(c)
                                .transposeLast()
                                .tensor(prefix + ".w2_t"));
        String b2 = ops.constant(param(model, "aggregator_b2").slice(c).tensor(prefix + ".b2"));
        String hidden = ops.add(ops.matMul(z, w1), b1);
        String negative = ops.unary("Relu", ops.unary("Neg", hidden));
        String activated = ops.sub(ops.unary("Relu", hidden), ops.mul(negative, alpha));
        return ops.add(ops.matMul(activated, w2), b2);
    }

    private static void armorm(
            OnnxOps ops, ArmoRewardModel model, String ids, String pm, String rm) {
        GraphBuilder g = ops.graph();
        int objectives = model.getSpec().objectives().size();
        ByteEncoderExport encoder = new ByteEncoderExport(ops, model.getEncoder());
        String residual = encoder.beforeLastFfn(ids);
        String hidden = encoder.finish(residual, encoder.baseFfn(encoder.ffnInput(residual)));
        String prompt = encoder.maskedMean(hidden, pm);
        String response = encoder.maskedMean(hidden, rm);
        String rewards =
                ops.matMul(
                        ops.matMul(
                                response,
                                ops.constant(
                                        ParameterData.of(model.getRegression())
                                                .transposeLast()
                                                .tensor("regression_t"))),
                        ops.constant(ParameterData.of(model.getTransform()).tensor("transform")));
        String gates = gates(ops, model.getGating(), model.getSpec().gatingLayers(), prompt);
        String score = ops.reduceSum(ops.mul(gates, rewards), false, 1);
        g.output(score, RewardOutputs.SCORE, OnnxDataType.FLOAT, "batch");
        g.output(rewards, RewardOutputs.OBJECTIVE_SCORES, OnnxDataType.FLOAT, "batch", objectives);
        g.output(gates, RewardOutputs.OBJECTIVE_WEIGHTS, OnnxDataType.FLOAT, "batch", objectives);
    }

    /** ArmoRM's gating network in inference mode (batch norm with its running statistics). */
    static String gates(OnnxOps ops, GatingNetwork gating, int layers, String prompt) {
        String x = prompt;
        for (int l = 0; l < layers; l++) {
            String p = "gating.layer" + l;
            x = ops.unary("Relu", ops.matMul(x, weightT(ops, gating, "layer" + l + "_weight")));
            String mean = vector(ops, gating, "layer" + l + "_bn_running_mean", p + ".mean");
            String var = vector(ops, gating, "layer" + l + "_bn_running_var", p + ".var");
            String gamma = vector(ops, gating, "layer" + l + "_bn_gamma", p + ".gamma");
            String beta = vector(ops, gating, "layer" + l + "_bn_beta", p + ".beta");
            String std = ops.unary("Sqrt", ops.add(var, ops.graph().scalar(GATING_BN_EPS)));
            x = ops.add(ops.mul(ops.div(ops.sub(x, mean), std), gamma), beta);
        }
        String logits =
                ops.add(
                        ops.matMul(x, weightT(ops, gating, "out_weight")),
                        vector(ops, gating, "out_bias", "gating.out_bias"));
        String scaled = ops.div(logits, ops.graph().scalar(gating.getTemperature()));
        return ops.mul(ops.softmax(scaled, 1), vector(ops, gating, "logit_scale", "gating.scale"));
    }

    private static String weightT(OnnxOps ops, Block block, String name) {
        return ops.constant(
                Blocks.param(block, name).transposeLast().tensor("gating." + name + "_t"));
    }

    private static String vector(OnnxOps ops, Block block, String name, String tensor) {
        return ops.constant(Blocks.param(block, name).tensor(tensor));
    }

    private static ParameterData param(Block block, String name) {
        return Blocks.param(block, name);
    }

    private static String constant(
            OnnxOps ops, DoubleLayerMoeRewardModel model, String name, boolean transpose) {
        ParameterData d = param(model, name);
        return ops.constant(
                (transpose ? d.transposeLast() : d).tensor(name + (transpose ? "_t" : "")));
    }
}
