package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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

    /**
     * Creates the router.
     *
     * @param spec a the spec
     */
    public TopKSoftmaxRouter(TopKSoftmaxSpec spec) {
        super(spec);
        this.kind = spec;
    }

    /** {@inheritDoc} */
    @Override
    protected RoutingDecision select(
            ParameterStore ps, NDArray input, NDArray logits, int groupSize, boolean training) {
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
