package io.moezoo.models.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.moezoo.blocks.experts.LoraExperts;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.translators.reward.RewardOutputs;
import java.util.ArrayList;
import java.util.List;

/**
 * The dense baseline: the same frozen encoder with one LoRA adapter on its last FFN (rank chosen so
 * the adapter has as many parameters as all of DMoERM's experts) and an MLP head \(r = W_2\,
 * \mathrm{PReLU}(W_1 \bar h + b_1) + b_2\) on the response-pooled final states, trained end to end
 * with the pairwise loss.
 *
 * <p>Inputs as the other reward models; outputs {@code score [B]} and {@code objective_scores [B,
 * 1]} (the score again, under the single objective "overall").
 */
public final class DenseRewardModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final RewardModelSpec spec;
    private final FrozenByteEncoder encoder;
    private final LoraExperts adapter;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter prelu;
    private final Parameter w2;
    private final Parameter b2;

    /**
     * Creates the model.
     *
     * @param spec a {@value RewardModelSpec#DENSE} spec
     * @throws IllegalArgumentException if the spec is of another architecture
     */
    public DenseRewardModel(RewardModelSpec spec) {
        super(VERSION);
        if (!RewardModelSpec.DENSE.equals(spec.architecture())) {
            throw new IllegalArgumentException("Not a dense spec: " + spec.architecture());
        }
        this.spec = spec;
        int h = spec.encoder().hiddenSize();
        int m = spec.headHidden();
        encoder = addChildBlock("encoder", new FrozenByteEncoder(spec.encoder()));
        adapter =
                addChildBlock(
                        "adapter",
                        new LoraExperts(
                                new LoraExpertSpec(
                                        1,
                                        h,
                                        spec.encoder().intermediateSize(),
                                        spec.loraRank(),
                                        spec.loraAlpha())));
        w1 = addParameter(DoubleLayerMoeRewardModel.weight("head_w1", new Shape(m, h)));
        b1 = addParameter(DoubleLayerMoeRewardModel.bias("head_b1", new Shape(m)));
        prelu =
                addParameter(
                        Parameter.builder()
                                .setName("head_prelu")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(1))
                                .optInitializer(new ConstantInitializer(0.25f))
                                .build());
        w2 = addParameter(DoubleLayerMoeRewardModel.weight("head_w2", new Shape(1, m)));
        b2 = addParameter(DoubleLayerMoeRewardModel.bias("head_b2", new Shape(1)));
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
     * Returns the single LoRA adapter (a bank of one expert).
     *
     * @return the adapter
     */
    public LoraExperts getAdapter() {
        return adapter;
    }

    /**
     * Returns the trainable parameters (adapter and head).
     *
     * @return the parameters
     */
    public List<Parameter> trainableParameters() {
        List<Parameter> list = new ArrayList<>();
        for (Parameter p : adapter.getDirectParameters().values()) {
            if (p.requiresGradient()) {
                list.add(p);
            }
        }
        list.addAll(List.of(w1, b1, prelu, w2, b2));
        return list;
    }

    /**
     * Scores from the frozen residual before the last FFN.
     *
     * @param ps the parameter store
     * @param residual {@code [N, R, H]}
     * @param mask the response mask {@code [N, R]}
     * @param training whether this is a training pass
     * @return the rewards {@code [N]}
     */
    public NDArray score(ParameterStore ps, NDArray residual, NDArray mask, boolean training) {
        Shape shape = residual.getShape();
        long n = shape.get(0);
        NDArray flat = encoder.ffnInput(ps, residual).reshape(-1, shape.get(2));
        NDArray y =
                adapter.forwardGrouped(
                                ps,
                                flat,
                                new int[] {Math.toIntExact(flat.getShape().get(0))},
                                training)
                        .reshape(shape);
        NDArray pooled = MaskedMean.of(encoder.finish(ps, residual, y), mask);
        NDArray hidden =
                Linear.linear(
                                pooled,
                                ps.getValue(w1, pooled.getDevice(), training),
                                ps.getValue(b1, pooled.getDevice(), training))
                        .head();
        NDArray a = ps.getValue(prelu, pooled.getDevice(), training);
        NDArray activated = Activation.relu(hidden).sub(Activation.relu(hidden.neg()).mul(a));
        return Linear.linear(
                        activated,
                        ps.getValue(w2, pooled.getDevice(), training),
                        ps.getValue(b2, pooled.getDevice(), training))
                .head()
                .reshape(n);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray residual = encoder.beforeLastFfn(ps, inputs.get(0));
        NDArray score = score(ps, residual, inputs.get(2), training);
        NDArray objective = score.expandDims(1);
        score.setName(RewardOutputs.SCORE);
        objective.setName(RewardOutputs.OBJECTIVE_SCORES);
        return new NDList(score, objective);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b), new Shape(b, 1)};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, new Shape(1, spec.sequenceLength()));
        adapter.initialize(manager, dataType, new Shape(1, -1, spec.encoder().hiddenSize()));
    }
}
