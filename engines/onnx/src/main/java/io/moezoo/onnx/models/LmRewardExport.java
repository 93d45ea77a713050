package io.moezoo.onnx.models;

import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.models.reward.LmDoubleLayerRewardModel;
import io.moezoo.models.reward.LmRewardSpec;
import io.moezoo.onnx.graph.GraphBuilder;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.moe.ParameterData;
import io.moezoo.onnx.nn.Blocks;
import io.moezoo.translators.reward.RewardOutputs;

/**
 * Writes {@link LmDoubleLayerRewardModel}: the language-model features ({@link LmFeatureExport}),
 * their standardisation, the router (softmax over the prompt's mean hidden state, top-1 as an
 * argmax one-hot), every category's tanh experts, value heads and PReLU aggregator, and the routed
 * category's results.
 */
final class LmRewardExport {

    private final OnnxOps ops;
    private final GraphBuilder g;
    private final LmDoubleLayerRewardModel model;
    private final LmRewardSpec spec;
    private final int categories;
    private final int objectives;

    private LmRewardExport(OnnxOps ops, LmDoubleLayerRewardModel model) {
        this.ops = ops.sharingConstants();
        this.g = ops.graph();
        this.model = model;
        this.spec = model.getSpec();
        categories = spec.categories().size();
        objectives = spec.objectives().size();
    }

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
            LmDoubleLayerRewardModel model,
            String ids,
            String pm,
            String rm,
            DispatchMode dispatch) {
        new LmRewardExport(ops, model).write(ids, pm, rm, dispatch);
    }

    private void write(String ids, String pm, String rm, DispatchMode dispatch) {
        String[] features =
                LmFeatureExport.write(ops, model.getFeatures(), spec, ids, pm, rm, dispatch);
        heads(features[0], features[1]);
    }

    /** The router, the experts, their value heads and aggregators, and the outputs. */
    private void heads(String statistics, String promptState) {
        int f = LanguageModelFeatures.COUNT;
        int e = spec.expertWidth();
        int experts = categories * objectives;
        String router =
                ops.add(
                        ops.matMul(promptState, transposed("router_weight")),
                        vector("router_bias"));
        String probabilities = ops.softmax(router, 1);
        String oneHot =
                RewardExporter.topOneMask(
                        ops, probabilities, categories, "lm_reward.category_ids"); // [B, G]

        String x = ops.div(ops.sub(statistics, vector("feature_shift")), vector("feature_scale"));
        ParameterData w = param("expert_weight");
        ParameterData flat =
                new ParameterData(w.name(), new long[] {(long) experts * e, f}, w.values());
        String expertFeatures =
                ops.reshape(
                        ops.unary(
                                "Tanh",
                                ops.add(
                                        ops.matMul(
                                                x,
                                                ops.constant(
                                                        flat.transposeLast()
                                                                .tensor(
                                                                        "lm_reward.expert_weight_t"))),
                                        ops.reshape(vector("expert_bias"), -1))),
                        -1,
                        categories,
                        objectives,
                        e); // [B, G, C, E]

        String v = ops.reshape(vector("value_head_weight"), categories, objectives, e);
        String b = ops.reshape(vector("value_head_bias"), categories, objectives);
        String values = ops.add(ops.reduceSum(ops.mul(expertFeatures, v), false, 3), b); // [B,G,C]

        // Every category's aggregator on its own experts: [B, G, 1, C·E] × [G, C·E, A].
        String z = ops.reshape(expertFeatures, -1, categories, 1, (long) objectives * e);
        String w1 = ops.constant(param("aggregator_w1").transposeLast().tensor("lm_reward.w1_t"));
        String hidden =
                ops.add(
                        ops.reshape(ops.matMul(z, w1), -1, categories, spec.headHidden()),
                        vector("aggregator_b1")); // [B, G, A]
        String alpha = ops.reshape(vector("aggregator_prelu"), categories, 1);
        String activated =
                ops.sub(
                        ops.unary("Relu", hidden),
                        ops.mul(ops.unary("Relu", ops.unary("Neg", hidden)), alpha));
        String w2 = ops.reshape(vector("aggregator_w2"), categories, -1);
        String rewards =
                ops.add(
                        ops.reduceSum(ops.mul(activated, w2), false, 2),
                        vector("aggregator_b2")); // [B, G]

        String score = ops.reduceSum(ops.mul(rewards, oneHot), false, 1);
        String perObjective =
                ops.reduceSum(ops.mul(values, ops.unsqueeze(oneHot, 2)), false, 1); // [B, C]
        g.output(score, RewardOutputs.SCORE, OnnxDataType.FLOAT, "batch");
        g.output(
                perObjective,
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

    private ParameterData param(String name) {
        return Blocks.param(model, name);
    }

    private String vector(String name) {
        return ops.constant(param(name).tensor("lm_reward." + name));
    }

    private String transposed(String name) {
        return ops.constant(param(name).transposeLast().tensor("lm_reward." + name + "_t"));
    }
}
