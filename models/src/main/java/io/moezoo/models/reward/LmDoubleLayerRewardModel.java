package io.moezoo.models.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.translators.reward.RewardOutputs;
import java.util.List;

/**
 * A DMoERM-style double-layer MoE reward model (Quan, ACL Findings 2024) whose experts read what a
 * frozen causal language model says about the response ({@link LanguageModelFeatures}).
 *
 * <p><b>Features:</b> the {@value LanguageModelFeatures#COUNT} log-likelihood statistics \(f\),
 * standardised with constants fitted on the training pairs, \(x = (f - \mu) / \sigma\); the
 * prompt's mean final hidden state \(s\).
 *
 * <p><b>Outer layer, sparse:</b> \(p = \mathrm{softmax}(W_g s + b_g)\) over the G task categories;
 * each input is scored by the single category \(g = \arg\max p\) (top-1 hard routing). The experts
 * are so small next to the language model that all categories are evaluated and the routed one is
 * selected, which gives the same result as running only category g.
 *
 * <p><b>Inner layer, dense:</b> category g owns C capability experts, \(e_{g,c} = \tanh(W_{g,c} x +
 * b_{g,c}) \in \mathbb{R}^E\), each with a value head \(v_{g,c}^\top e_{g,c} + b\) (the
 * per-objective scores, trained on that dimension's pairs), and an MLP over all of them, \(r = w_2^
 * \top \mathrm{PReLU}(W_1 [e_{g,1}; \dots; e_{g,C}] + b_1) + b_2\).
 *
 * <p>Inputs {@code [ids [B, S], prompt_mask [B, S], response_mask [B, S]]}; outputs (named) {@code
 * score [B]}, {@code objective_scores [B, C]} and {@code category_probabilities [B, G]}, as the
 * other reward models.
 */
public final class LmDoubleLayerRewardModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final LmRewardSpec spec;
    private final int categories;
    private final int objectives;
    private final LanguageModelFeatures features;
    private final Parameter featureShift;
    private final Parameter featureScale;
    private final Parameter routerWeight;
    private final Parameter routerBias;
    private final Parameter expertWeight;
    private final Parameter expertBias;
    private final Parameter valueWeight;
    private final Parameter valueBias;
    private final Parameter aggregatorW1;
    private final Parameter aggregatorB1;
    private final Parameter aggregatorPrelu;
    private final Parameter aggregatorW2;
    private final Parameter aggregatorB2;

    /**
     * Creates the model.
     *
     * @param spec the reward spec
     * @param base the frozen language model's spec
     */
    public LmDoubleLayerRewardModel(LmRewardSpec spec, DecoderSpec base) {
        super(VERSION);
        this.spec = spec;
        categories = spec.categories().size();
        objectives = spec.objectives().size();
        int f = LanguageModelFeatures.COUNT;
        int e = spec.expertWidth();
        int a = spec.headHidden();
        int experts = categories * objectives;
        features = addChildBlock("features", new LanguageModelFeatures(spec, base));
        featureShift = addParameter(constant("feature_shift", new Shape(f), 0f));
        featureScale = addParameter(constant("feature_scale", new Shape(f), 1f));
        routerWeight =
                addParameter(
                        DoubleLayerMoeRewardModel.weight(
                                "router_weight", new Shape(categories, base.hiddenSize())));
        routerBias =
                addParameter(DoubleLayerMoeRewardModel.bias("router_bias", new Shape(categories)));
        expertWeight =
                addParameter(
                        DoubleLayerMoeRewardModel.stacked(
                                "expert_weight", new Shape(experts, e, f)));
        expertBias =
                addParameter(DoubleLayerMoeRewardModel.bias("expert_bias", new Shape(experts, e)));
        valueWeight =
                addParameter(
                        DoubleLayerMoeRewardModel.stacked(
                                "value_head_weight", new Shape(experts, 1, e)));
        valueBias =
                addParameter(DoubleLayerMoeRewardModel.bias("value_head_bias", new Shape(experts)));
        aggregatorW1 =
                addParameter(
                        DoubleLayerMoeRewardModel.stacked(
                                "aggregator_w1", new Shape(categories, a, (long) objectives * e)));
        aggregatorB1 =
                addParameter(
                        DoubleLayerMoeRewardModel.bias("aggregator_b1", new Shape(categories, a)));
        aggregatorPrelu = addParameter(constant("aggregator_prelu", new Shape(categories), 0.25f));
        aggregatorW2 =
                addParameter(
                        DoubleLayerMoeRewardModel.stacked(
                                "aggregator_w2", new Shape(categories, 1, a)));
        aggregatorB2 =
                addParameter(
                        DoubleLayerMoeRewardModel.bias("aggregator_b2", new Shape(categories)));
    }

    private static Parameter constant(String name, Shape shape, float value) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(new ConstantInitializer(value))
                .build();
    }

    /**
     * Returns the spec.
     *
     * @return the spec
     */
    public LmRewardSpec getSpec() {
        return spec;
    }

    /**
     * Returns the frozen feature block.
     *
     * @return the language-model features
     */
    public LanguageModelFeatures getFeatures() {
        return features;
    }

    /**
     * Sets the standardisation constants \(\mu, \sigma\) (fitted on the training pairs).
     *
     * @param shift \(\mu\), {@value LanguageModelFeatures#COUNT} values
     * @param scale \(\sigma\), {@value LanguageModelFeatures#COUNT} positive values
     * @throws IllegalArgumentException if a length is wrong or a scale is not positive
     */
    public void setStandardization(float[] shift, float[] scale) {
        checkStandardization(shift, scale);
        featureShift.getArray().set(shift);
        featureScale.getArray().set(scale);
    }

    /** Checks standardisation constants: one per statistic, every scale positive. */
    static void checkStandardization(float[] shift, float[] scale) {
        if (shift.length != LanguageModelFeatures.COUNT
                || scale.length != LanguageModelFeatures.COUNT) {
            throw new IllegalArgumentException(
                    "Need " + LanguageModelFeatures.COUNT + " shifts and scales");
        }
        for (float s : scale) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Scales must be positive, got " + s);
            }
        }
    }

    /**
     * Returns the router's parameters.
     *
     * @return \(W_g, b_g\)
     */
    public List<Parameter> routerParameters() {
        return List.of(routerWeight, routerBias);
    }

    /**
     * Returns the capability experts' parameters, value heads included.
     *
     * @return the experts' parameters
     */
    public List<Parameter> expertParameters() {
        return List.of(expertWeight, expertBias, valueWeight, valueBias);
    }

    /**
     * Returns the aggregation MLPs' parameters.
     *
     * @return the aggregators' parameters
     */
    public List<Parameter> aggregatorParameters() {
        return List.of(aggregatorW1, aggregatorB1, aggregatorPrelu, aggregatorW2, aggregatorB2);
    }

    /**
     * Computes the router logits.
     *
     * @param ps the parameter store
     * @param promptState {@code [B, H]}
     * @param training whether this is a training pass
     * @return {@code [B, G]}
     */
    public NDArray routerLogits(ParameterStore ps, NDArray promptState, boolean training) {
        NDArray w = value(ps, routerWeight, promptState, training);
        NDArray b = value(ps, routerBias, promptState, training);
        return promptState.matMul(w.transpose()).add(b);
    }

    /**
     * Computes every expert's feature.
     *
     * @param ps the parameter store
     * @param statistics raw statistics {@code [B, F]} from {@link LanguageModelFeatures}
     * @param training whether this is a training pass
     * @return \(e\) {@code [B, G, C, E]}
     */
    public NDArray expertFeatures(ParameterStore ps, NDArray statistics, boolean training) {
        long batch = statistics.getShape().get(0);
        NDArray x =
                statistics
                        .sub(value(ps, featureShift, statistics, training))
                        .div(value(ps, featureScale, statistics, training));
        int e = spec.expertWidth();
        NDArray w = value(ps, expertWeight, x, training).reshape(-1, LanguageModelFeatures.COUNT);
        NDArray b = value(ps, expertBias, x, training).reshape(-1);
        return x.matMul(w.transpose()).add(b).tanh().reshape(batch, categories, objectives, e);
    }

    /**
     * Computes the value heads (the per-objective scores) of every expert.
     *
     * @param ps the parameter store
     * @param expertFeatures {@code [B, G, C, E]}
     * @param training whether this is a training pass
     * @return {@code [B, G, C]}
     */
    public NDArray valueHeads(ParameterStore ps, NDArray expertFeatures, boolean training) {
        NDArray v =
                value(ps, valueWeight, expertFeatures, training)
                        .reshape(categories, objectives, spec.expertWidth());
        NDArray b = value(ps, valueBias, expertFeatures, training).reshape(categories, objectives);
        return expertFeatures.mul(v).sum(new int[] {3}).add(b);
    }

    /**
     * Applies every category's aggregation MLP to its own experts.
     *
     * @param ps the parameter store
     * @param expertFeatures {@code [B, G, C, E]}
     * @param training whether this is a training pass
     * @return the rewards per category {@code [B, G]}
     */
    public NDArray aggregate(ParameterStore ps, NDArray expertFeatures, boolean training) {
        long batch = expertFeatures.getShape().get(0);
        NDArray z = expertFeatures.reshape(batch, categories, 1, -1);
        NDArray w1 = value(ps, aggregatorW1, z, training);
        NDArray b1 = value(ps, aggregatorB1, z, training);
        NDArray alpha = value(ps, aggregatorPrelu, z, training).reshape(categories, 1);
        NDArray w2 = value(ps, aggregatorW2, z, training).reshape(categories, -1);
        NDArray b2 = value(ps, aggregatorB2, z, training);
        NDArray hidden = z.mul(w1).sum(new int[] {3}).add(b1); // [B, G, A]
        NDArray activated = Activation.relu(hidden).sub(Activation.relu(hidden.neg()).mul(alpha));
        return activated.mul(w2).sum(new int[] {2}).add(b2);
    }

    private static NDArray value(
            ParameterStore ps, Parameter parameter, NDArray input, boolean training) {
        return ParameterViews.reshaped(
                ps.getValue(parameter, input.getDevice(), training),
                input,
                parameter.getArray().getShape().getShape());
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList lm = features.forward(ps, inputs, false);
        NDArray statistics = lm.get(0);
        NDArray probabilities = routerLogits(ps, lm.get(1), training).softmax(1);
        NDArray routed = probabilities.argMax(1).oneHot(categories); // [B, G]
        NDArray experts = expertFeatures(ps, statistics, training);
        NDArray score = aggregate(ps, experts, training).mul(routed).sum(new int[] {1});
        NDArray perObjective =
                valueHeads(ps, experts, training).mul(routed.expandDims(2)).sum(new int[] {1});
        return RewardOutputs.routed(score, perObjective, probabilities);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b), new Shape(b, objectives), new Shape(b, categories)};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        features.initialize(manager, dataType, inputShapes);
    }
}
