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
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.moezoo.translators.reward.RewardOutputs;

/**
 * An ArmoRM-style reward model (Wang et al. 2024; RLHFlow/RLHF-Reward-Modeling {@code armo-rm}).
 *
 * <ul>
 *   <li>Stage 1, multi-objective regression: \(r = W z\), one row of {@code regression [C, H]} per
 *       objective, fitted by ridge regression without intercept on the frozen response embedding z
 *       (the final hidden states mean-pooled over the response).
 *   <li>Reward transform: \(r' = r\,T\) with the fixed matrix {@code transform [C, C]} (ArmoRM's
 *       verbosity de-biasing; the identity here, since no objective measures verbosity).
 *   <li>Stage 2, gating: \(g = \mathrm{softmax}(\mathrm{MLP}(p) / t)\) on the prompt embedding p
 *       (the frozen final hidden states mean-pooled over the prompt), {@link GatingNetwork}.
 *   <li>Score: \(s = \sum_i g_i r'_i\).
 * </ul>
 *
 * <p>Inputs {@code [ids [B, S], prompt_mask [B, S], response_mask [B, S]]}; outputs (named) {@code
 * score [B]}, {@code objective_scores [B, C]} (= r') and {@code objective_weights [B, C]} (= g).
 */
public final class ArmoRewardModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final RewardModelSpec spec;
    private final FrozenByteEncoder encoder;
    private final GatingNetwork gating;
    private final Parameter regression;
    private final Parameter transform;

    /**
     * Creates the model.
     *
     * @param spec an {@value RewardModelSpec#ARMORM} spec
     * @throws IllegalArgumentException if the spec is of another architecture
     */
    public ArmoRewardModel(RewardModelSpec spec) {
        super(VERSION);
        if (!RewardModelSpec.ARMORM.equals(spec.architecture())) {
            throw new IllegalArgumentException("Not an ArmoRM spec: " + spec.architecture());
        }
        this.spec = spec;
        int c = spec.objectives().size();
        int h = spec.encoder().hiddenSize();
        encoder = addChildBlock("encoder", new FrozenByteEncoder(spec.encoder()));
        gating =
                addChildBlock(
                        "gating",
                        new GatingNetwork(
                                h,
                                spec.headHidden(),
                                spec.gatingLayers(),
                                c,
                                spec.gatingTemperature()));
        regression =
                addParameter(
                        Parameter.builder()
                                .setName("regression")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(c, h))
                                .optInitializer(new ConstantInitializer(0f))
                                .optRequiresGrad(false)
                                .build());
        transform =
                addParameter(
                        Parameter.builder()
                                .setName("transform")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(c, c))
                                .optInitializer(identity())
                                .optRequiresGrad(false)
                                .build());
    }

    private static Initializer identity() {
        return (manager, shape, dataType) ->
                manager.eye(Math.toIntExact(shape.get(0))).toType(dataType, false);
    }

    /**
     * Returns the spec.
     *
     * @return the spec
     */
    public RewardModelSpec getSpec() {
        return spec;
    }

    /**
     * Returns the frozen encoder.
     *
     * @return the encoder
     */
    public FrozenByteEncoder getEncoder() {
        return encoder;
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
     * Returns the regression layer {@code [C, H]} (set by ridge regression, not by gradients).
     *
     * @return the parameter
     */
    public Parameter getRegression() {
        return regression;
    }

    /**
     * Returns the reward transform {@code [C, C]}.
     *
     * @return the parameter
     */
    public Parameter getTransform() {
        return transform;
    }

    /**
     * Computes the transformed per-objective rewards \(r' = (W z)\,T\).
     *
     * @param ps the parameter store
     * @param responseEmbedding z {@code [N, H]}
     * @return {@code [N, C]}
     */
    public NDArray objectiveRewards(ParameterStore ps, NDArray responseEmbedding) {
        NDArray w = ps.getValue(regression, responseEmbedding.getDevice(), false);
        NDArray t = ps.getValue(transform, responseEmbedding.getDevice(), false);
        return responseEmbedding.matMul(w.transpose()).matMul(t);
    }

    /**
     * Computes the score from the embeddings.
     *
     * @param ps the parameter store
     * @param promptEmbedding p {@code [N, H]}
     * @param responseEmbedding z {@code [N, H]}
     * @param training true for a gating training pass
     * @return {@code [score [N], r' [N, C], g [N, C]]}
     */
    public NDList score(
            ParameterStore ps,
            NDArray promptEmbedding,
            NDArray responseEmbedding,
            boolean training) {
        NDArray rewards = objectiveRewards(ps, responseEmbedding);
        NDArray gates = gating.gates(ps, promptEmbedding, training);
        return RewardOutputs.gated(rewards, gates);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray hidden = encoder.hidden(ps, inputs.get(0));
        return score(
                ps,
                MaskedMean.of(hidden, inputs.get(1)),
                MaskedMean.of(hidden, inputs.get(2)),
                training);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        int c = spec.objectives().size();
        return new Shape[] {new Shape(b), new Shape(b, c), new Shape(b, c)};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, new Shape(1, spec.sequenceLength()));
        gating.initialize(manager, dataType, new Shape(1, spec.encoder().hiddenSize()));
    }
}
