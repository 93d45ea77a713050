package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.spec.SwitchSpec;

/**
 * Switch Transformer routing: top-1 with an expert capacity per group.
 *
 * <p>\(p = \mathrm{softmax}(x W^T)\); each token picks \(\arg\max p\) with weight \(\max p\) (not
 * renormalised). Per group (a sequence by default) each expert accepts at most C tokens, first come
 * first served in sequence order; the overflow is dropped and contributes zero, so the token passes
 * only through the residual. C is {@code capacity}, or \(\lceil T_g \cdot cf / E \rceil\). Jitter,
 * when configured, multiplies the router input only, in training only.
 */
public final class SwitchRouter extends Router {

    private final SwitchSpec kind;

    /**
     * Creates the router.
     *
     * @param spec a the spec
     */
    public SwitchRouter(SwitchSpec spec) {
        super(spec);
        this.kind = spec;
    }

    /** {@inheritDoc} */
    @Override
    protected RoutingDecision select(
            ParameterStore ps, NDArray input, NDArray logits, int groupSize, boolean training) {
        NDArray probs = logits.softmax(-1);
        NDList top = probs.topK(1, -1, true, true);
        int[] choices = toIntArray(top.get(1));
        int c = kind.expertCapacity(groupSize, 1);
        int[] kept = ExpertCapacity.assign(choices, 1, groupSize, c, kind.numExperts(), null);
        return new RoutingDecision(
                logits,
                probs,
                finishWeights(top.get(0)),
                null,
                kept,
                choices,
                kind.numExperts(),
                groupSize,
                c);
    }
}
