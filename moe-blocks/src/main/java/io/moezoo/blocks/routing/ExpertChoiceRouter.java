package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.spec.ExpertChoiceSpec;

/**
 * Expert-choice routing (Zhou et al. 2022): experts pick tokens.
 *
 * <p>\(S = \mathrm{softmax}(x W^T)\) over experts; in each group of \(T_g\) tokens every expert
 * takes the C tokens with the largest \(S_{t,e}\), weighted by \(S_{t,e}\), where \(C = \lceil k
 * \cdot T_g \cdot cf / E \rceil\) (at most \(T_g\)) or the absolute capacity. Every expert's load
 * is exactly C; a token may be taken by several experts or by none. Slot e of a token belongs to
 * expert e, so S = E.
 */
public final class ExpertChoiceRouter extends Router {

    private final ExpertChoiceSpec kind;

    /**
     * Creates the router.
     *
     * @param spec a the spec
     */
    public ExpertChoiceRouter(ExpertChoiceSpec spec) {
        super(spec);
        this.kind = spec;
    }

    /** {@inheritDoc} */
    @Override
    public int numSlots() {
        return kind.numExperts();
    }

    /** {@inheritDoc} */
    @Override
    protected RoutingDecision select(
            ParameterStore ps, NDArray input, NDArray logits, int groupSize, boolean training) {
        int e = kind.numExperts();
        int tokens = Math.toIntExact(logits.getShape().get(0));
        int groups = tokens / groupSize;
        int c = Math.min(kind.expertCapacity(groupSize, kind.topK()), groupSize);
        NDArray scores = logits.softmax(-1);
        // [G, E, Tg]: for every group and expert, the scores of the group's tokens.
        NDArray perExpert = scores.reshape(groups, groupSize, e).transpose(0, 2, 1);
        int[] picked = toIntArray(perExpert.topK(c, -1, true, true).get(1));
        int[] experts = new int[tokens * e];
        java.util.Arrays.fill(experts, -1);
        float[] mask = new float[tokens * e];
        for (int g = 0; g < groups; g++) {
            for (int x = 0; x < e; x++) {
                for (int j = 0; j < c; j++) {
                    int t = g * groupSize + picked[(g * e + x) * c + j];
                    experts[t * e + x] = x;
                    mask[t * e + x] = 1f;
                }
            }
        }
        NDArray weights = scores.mul(logits.getManager().create(mask, new Shape(tokens, e)));
        weights = scaled(weights);
        return new RoutingDecision(
                logits, scores, weights, null, experts, experts.clone(), e, groupSize, c);
    }
}
