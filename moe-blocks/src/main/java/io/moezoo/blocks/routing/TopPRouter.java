package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.spec.TopPSpec;

/**
 * Dynamic top-p routing ("Harder Tasks Need More Experts", Huang et al. 2024).
 *
 * <p>\(p = \mathrm{softmax}(x W^T)\); each token takes the smallest prefix of its experts sorted by
 * descending \(p\) whose cumulative probability reaches the threshold, clamped to {@code
 * [minExperts, maxExperts]}. The weights are the selected \(p_i\) (renormalised if configured). The
 * selection size is monotone in the threshold.
 */
public final class TopPRouter extends Router {

    private final TopPSpec kind;

    /**
     * Creates the router.
     *
     * @param spec a the spec
     */
    public TopPRouter(TopPSpec spec) {
        super(spec);
        this.kind = spec;
    }

    /** {@inheritDoc} */
    @Override
    public int numSlots() {
        return kind.maxExperts();
    }

    /** {@inheritDoc} */
    @Override
    protected RoutingDecision select(
            ParameterStore ps, NDArray input, NDArray logits, int groupSize, boolean training) {
        int slots = kind.maxExperts();
        NDArray probs = logits.softmax(-1);
        NDList top = probs.topK(slots, -1, true, true);
        float[] sorted = top.get(0).toFloatArray();
        int[] choices = toIntArray(top.get(1));
        int tokens = sorted.length / slots;
        float[] mask = new float[sorted.length];
        for (int t = 0; t < tokens; t++) {
            int n = selectionSize(sorted, t * slots, slots);
            for (int s = 0; s < slots; s++) {
                if (s < n) {
                    mask[t * slots + s] = 1f;
                } else {
                    choices[t * slots + s] = -1;
                }
            }
        }
        NDArray selected =
                top.get(0).mul(logits.getManager().create(mask, new Shape(tokens, slots)));
        return new RoutingDecision(
                logits,
                probs,
                finishWeights(selected),
                null,
                dropNullExperts(choices),
                choices,
                kind.numExperts(),
                groupSize,
                -1);
    }

    private int selectionSize(float[] sorted, int offset, int slots) {
        double cumulative = 0;
        int n = slots;
        for (int s = 0; s < slots; s++) {
            cumulative += sorted[offset + s];
            if (cumulative >= kind.topP()) {
                n = s + 1;
                break;
            }
        }
        return Math.max(kind.minExperts(), Math.min(n, kind.maxExperts()));
    }
}
