package io.moezoo.models.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.translators.reward.RewardOutputs;

/**
 * An ArmoRM-style reward model (Wang et al. 2024) whose objectives read what a frozen causal
 * language model says about the response ({@link LanguageModelFeatures}).
 *
 * <ul>
 *   <li>Features: the {@value LanguageModelFeatures#COUNT} log-likelihood statistics f,
 *       standardised with constants fitted on the training pairs, \(x = (f - \mu) / \sigma\).
 *   <li>Stage 1, multi-objective regression: \(r = W x\), one row of {@code regression [C, F]} per
 *       objective, fitted by ridge regression on that objective's pairs (chosen +1, rejected −1).
 *   <li>Stage 2, gating: \(g = \mathrm{softmax}(\mathrm{MLP}(s) / t)\) on the prompt's mean final
 *       hidden state s ({@link GatingNetwork}), trained with the pairwise loss, W frozen.
 *   <li>Score: \(\sum_c g_c r_c\).
 * </ul>
 *
 * <p>Inputs {@code [ids [B, S], prompt_mask [B, S], response_mask [B, S]]}; outputs (named) {@code
 * score [B]}, {@code objective_scores [B, C]} (= r) and {@code objective_weights [B, C]} (= g), as
 * {@link ArmoRewardModel}.
 */
public final class LmArmoRewardModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final LmArmoRewardSpec spec;
    private final int objectives;
    private final LanguageModelFeatures features;
    private final GatingNetwork gating;
    private final Parameter featureShift;
    private final Parameter featureScale;
    private final Parameter regression;

    /**
     * Creates the model.
     *
     * @param spec the reward spec
     * @param base the frozen language model's spec
     */
    public LmArmoRewardModel(LmArmoRewardSpec spec, DecoderSpec base) {
        super(VERSION);
        this.spec = spec;
        objectives = spec.objectives().size();
        int f = LanguageModelFeatures.COUNT;
        features = addChildBlock("features", new LanguageModelFeatures(spec, base));
        gating =
                addChildBlock(
                        "gating",
                        new GatingNetwork(
                                base.hiddenSize(),
                                spec.gatingHidden(),
                                spec.gatingLayers(),
                                objectives,
                                spec.gatingTemperature()));
        featureShift = addParameter(constant("feature_shift", new Shape(f), 0f));
        featureScale = addParameter(constant("feature_scale", new Shape(f), 1f));
        regression = addParameter(constant("regression", new Shape(objectives, f), 0f));
    }

    private static Parameter constant(String name, Shape shape, float value) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(new ConstantInitializer(value))
                .optRequiresGrad(false)
                .build();
    }

    /**
     * Returns the spec.
     *
     * @return the spec
     */
    public LmArmoRewardSpec getSpec() {
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
     * Returns the gating network.
     *
     * @return the gating network
     */
    public GatingNetwork getGating() {
        return gating;
    }

    /**
     * Returns the regression layer {@code [C, F]} (set by ridge regression, not by gradients).
     *
     * @return the parameter
     */
    public Parameter getRegression() {
        return regression;
    }

    /**
     * Sets the standardisation constants \(\mu, \sigma\) (fitted on the training pairs).
     *
     * @param shift \(\mu\), {@value LanguageModelFeatures#COUNT} values
     * @param scale \(\sigma\), {@value LanguageModelFeatures#COUNT} positive values
     * @throws IllegalArgumentException if a length is wrong or a scale is not positive
     */
    public void setStandardization(float[] shift, float[] scale) {
        LmDoubleLayerRewardModel.checkStandardization(shift, scale);
        featureShift.getArray().set(shift);
        featureScale.getArray().set(scale);
    }

    /**
     * Standardises raw statistics, \(x = (f - \mu) / \sigma\).
     *
     * @param ps the parameter store
     * @param statistics {@code [N, F]} from {@link LanguageModelFeatures}
     * @return {@code [N, F]}
     */
    public NDArray standardized(ParameterStore ps, NDArray statistics) {
        NDArray mu = ps.getValue(featureShift, statistics.getDevice(), false);
        NDArray sigma = ps.getValue(featureScale, statistics.getDevice(), false);
        return statistics.sub(mu).div(sigma);
    }

    /**
     * Computes the score from the features.
     *
     * @param ps the parameter store
     * @param statistics raw statistics {@code [N, F]}
     * @param promptState the prompt's mean hidden state {@code [N, H]}
     * @param training true for a gating training pass
     * @return {@code [score [N], r [N, C], g [N, C]]}, named
     */
    public NDList score(
            ParameterStore ps, NDArray statistics, NDArray promptState, boolean training) {
        NDArray w = ps.getValue(regression, statistics.getDevice(), false);
        NDArray rewards = standardized(ps, statistics).matMul(w.transpose());
        NDArray gates = gating.gates(ps, promptState, training);
        return RewardOutputs.gated(rewards, gates);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList lm = features.forward(ps, inputs, false);
        return score(ps, lm.get(0), lm.get(1), training);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b), new Shape(b, objectives), new Shape(b, objectives)};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        features.initialize(manager, dataType, inputShapes);
        gating.initialize(manager, dataType, new Shape(1, gating.getInputSize()));
    }
}
