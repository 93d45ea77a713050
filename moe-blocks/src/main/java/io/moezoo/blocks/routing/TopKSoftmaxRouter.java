package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;

/**
 * Top-k-then-softmax routing of JetMoE and GraniteMoE.
 *
 * <p>Each token takes the k largest logits and the weights are the softmax over those k logits,
 * which equals softmax-then-renormalise. The balancing losses see the softmax over all experts.
 */
public final class TopKSoftmaxRouter extends Router {

    private final TopKSoftmaxSpec kind;
    private final Parameter bias;

    /**
     * Creates the router.
     *
     * @param spec a the spec
     */
    public TopKSoftmaxRouter(TopKSoftmaxSpec spec) {
        super(spec);
        this.kind = spec;
        bias =
                spec.bias()
                        ? addParameter(
                                Parameter.builder()
                                        .setName("bias")
                                        .setType(Parameter.Type.BIAS)
                                        .build())
                        : null;
    }

    /**
     * Returns the router bias {@code [E']}, or null when the spec has none.
     *
     * @return the bias parameter
     */
    public Parameter getBias() {
        return bias;
    }

    @Override
    protected void prepareExtra(long hiddenSize) {
        if (bias != null) {
            bias.setShape(new Shape(kind.numChoices()));
        }
    }

    /** {@inheritDoc} */
    @Override
    protected RoutingDecision select(
            ParameterStore ps, NDArray input, NDArray raw, int groupSize, boolean training) {
        NDArray logits = bias == null ? raw : raw.add(ps.getValue(bias, raw.getDevice(), training));
        NDList top = logits.topK(kind.topK(), -1, true, true);
        int[] choices = toIntArray(top.get(1));
        NDArray weights = top.get(0).softmax(-1);
        weights = scaled(weights);
        return new RoutingDecision(
                logits,
                logits.softmax(-1),
                weights,
                null,
                dropNullExperts(choices),
                choices,
                kind.numExperts(),
                groupSize,
                -1);
    }
}
