package io.moezoo.models.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.moezoo.blocks.Scalars;
import io.moezoo.blocks.surgery.WeightAssignment;
import java.util.ArrayList;
import java.util.List;

/**
 * ArmoRM's gating network (the Hugging Face model file's variant): L hidden layers of {@code
 * Linear(bias=False) → ReLU → BatchNorm1d}, then {@code Linear(hidden, C)} with bias, and \(g =
 * \mathrm{softmax}(\text{logits} / t) \cdot s\) with the logit scale s fixed at 1, so the gates are
 * non-negative and sum to 1.
 *
 * <p>BatchNorm follows PyTorch: training passes normalise with the batch mean and biased variance
 * and update the running statistics with momentum 0.1 (unbiased variance); inference passes use the
 * running statistics, \(\gamma (x - \mu) / \sqrt{\sigma^2 + 10^{-5}} + \beta\).
 */
public final class GatingNetwork extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float EPS = 1e-5f;
    private static final float MOMENTUM = 0.1f;

    private final int inputSize;
    private final int outputs;
    private final float temperature;
    private final List<Parameter> linear = new ArrayList<>();
    private final List<Parameter> gamma = new ArrayList<>();
    private final List<Parameter> beta = new ArrayList<>();
    private final List<Parameter> runningMean = new ArrayList<>();
    private final List<Parameter> runningVar = new ArrayList<>();
    private final Parameter outWeight;
    private final Parameter outBias;
    private final Parameter logitScale;

    /**
     * Creates the network.
     *
     * @param inputSize the prompt-embedding size
     * @param hidden the hidden width
     * @param layers the number of hidden layers
     * @param outputs the number of objectives C
     * @param temperature the softmax temperature
     */
    public GatingNetwork(int inputSize, int hidden, int layers, int outputs, float temperature) {
        super(VERSION);
        this.inputSize = inputSize;
        this.outputs = outputs;
        this.temperature = temperature;
        for (int l = 0; l < layers; l++) {
            linear.add(
                    addParameter(
                            DoubleLayerMoeRewardModel.weight(
                                    "layer" + l + "_weight",
                                    new Shape(hidden, l == 0 ? inputSize : hidden))));
            gamma.add(addParameter(constant("layer" + l + "_bn_gamma", hidden, 1f, true)));
            beta.add(addParameter(constant("layer" + l + "_bn_beta", hidden, 0f, true)));
            runningMean.add(
                    addParameter(constant("layer" + l + "_bn_running_mean", hidden, 0f, false)));
            runningVar.add(
                    addParameter(constant("layer" + l + "_bn_running_var", hidden, 1f, false)));
        }
        outWeight =
                addParameter(
                        DoubleLayerMoeRewardModel.weight("out_weight", new Shape(outputs, hidden)));
        outBias = addParameter(DoubleLayerMoeRewardModel.bias("out_bias", new Shape(outputs)));
        logitScale = addParameter(constant("logit_scale", 1, 1f, false));
    }

    private static Parameter constant(String name, int size, float value, boolean trainable) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(size))
                .optInitializer(new ConstantInitializer(value))
                .optRequiresGrad(trainable)
                .build();
    }

    /**
     * Returns the softmax temperature.
     *
     * @return t
     */
    public float getTemperature() {
        return temperature;
    }

    /**
     * Computes the gates.
     *
     * @param ps the parameter store
     * @param prompt the prompt embeddings {@code [N, H]}
     * @param training true to use (and update) batch statistics
     * @return the gates {@code [N, C]}, non-negative, rows summing to the logit scale (1)
     */
    public NDArray gates(ParameterStore ps, NDArray prompt, boolean training) {
        NDArray x = prompt;
        for (int l = 0; l < linear.size(); l++) {
            x = Activation.relu(Linear.linear(x, value(ps, linear.get(l), x, training)).head());
            x = batchNorm(ps, x, l, training);
        }
        NDArray logits =
                Linear.linear(x, value(ps, outWeight, x, training), value(ps, outBias, x, training))
                        .head();
        return logits.div(Scalars.of(temperature, logits))
                .softmax(1)
                .mul(value(ps, logitScale, x, training));
    }

    private NDArray batchNorm(ParameterStore ps, NDArray x, int l, boolean training) {
        NDArray mean;
        NDArray var;
        if (training) {
            mean = x.mean(new int[] {0});
            NDArray centered = x.sub(mean);
            var = centered.mul(centered).mean(new int[] {0});
            long n = x.getShape().get(0);
            try (NDManager scope = x.getManager().newSubManager()) {
                NDArray rm = runningMean.get(l).getArray().duplicate();
                NDArray rv = runningVar.get(l).getArray().duplicate();
                rm.attach(scope);
                rv.attach(scope);
                NDArray m = mean.stopGradient();
                NDArray v = var.stopGradient();
                m.attach(scope);
                v.attach(scope);
                float unbiased = n / (float) Math.max(1, n - 1);
                WeightAssignment.assign(
                        runningMean.get(l), rm.mul(1 - MOMENTUM).add(m.mul(MOMENTUM)));
                WeightAssignment.assign(
                        runningVar.get(l), rv.mul(1 - MOMENTUM).add(v.mul(MOMENTUM * unbiased)));
            }
        } else {
            mean = value(ps, runningMean.get(l), x, false);
            var = value(ps, runningVar.get(l), x, false);
        }
        NDArray normed = x.sub(mean).div(var.add(Scalars.of(EPS, x)).sqrt());
        return normed.mul(value(ps, gamma.get(l), x, training))
                .add(value(ps, beta.get(l), x, training));
    }

    private static NDArray value(ParameterStore ps, Parameter p, NDArray x, boolean training) {
        return ps.getValue(p, x.getDevice(), training);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(gates(ps, inputs.head(), training));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
    }

    /**
     * Returns the number of inputs the network reads.
     *
     * @return H
     */
    public int getInputSize() {
        return inputSize;
    }
}
