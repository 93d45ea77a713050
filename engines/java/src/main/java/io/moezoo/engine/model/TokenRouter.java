package io.moezoo.engine.model;

import io.moezoo.blocks.routing.RouterKinds;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.GroupScore;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.ScoringFunction;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;

/**
 * Chooses one token's experts from its router logits, as the reference routers do.
 *
 * <ul>
 *   <li>{@code SOFTMAX_TOP_K} (Mixtral, Qwen-MoE, OLMoE): p = softmax(logits); the k largest p;
 *       weights p, renormalised over the k if configured.
 *   <li>{@code TOP_K_SOFTMAX} (JetMoE, gpt-oss): the k largest logits; weights their softmax. With
 *       a router bias (gpt-oss {@code mlp.router.bias}) the logits are \(z = x W^\top + b\): the
 *       bias is added before the top-k.
 *   <li>{@code GROUP_LIMITED} (DeepSeek-V2/V3): s = softmax or σ(logits); selection by s + b over
 *       the kept groups (a group scores its best, or the sum of its two best, s + b); weights the
 *       unbiased s, renormalised if configured.
 * </ul>
 *
 * Every kind multiplies the weights by the routed scaling factor. Ties go to the lower expert id.
 */
final class TokenRouter {

    /** One token's choice: expert ids and their combine weights. */
    record Choice(int[] experts, float[] weights) {}

    private final RouterSpec spec;
    private final float[] logitBias;

    /**
     * Creates a router without a logit bias.
     *
     * @param spec the router spec
     * @throws IllegalArgumentException if the engine does not run the spec
     */
    TokenRouter(RouterSpec spec) {
        this(spec, null);
    }

    /**
     * Creates a router.
     *
     * @param spec the router spec
     * @param logitBias the bias of the router's linear layer, one per expert ({@code [E]}), added
     *     to the logits before anything else; required exactly when the spec has a bias
     * @throws IllegalArgumentException if the engine does not run the spec or the bias does not fit
     */
    TokenRouter(RouterSpec spec, float[] logitBias) {
        if (!(spec instanceof SoftmaxTopKSpec
                || spec instanceof TopKSoftmaxSpec
                || spec instanceof GroupLimitedSpec)) {
            throw new IllegalArgumentException(
                    "The MoeJava engine does not run "
                            + RouterKinds.registry().kindOf(spec).name()
                            + " routers");
        }
        boolean biased = spec instanceof TopKSoftmaxSpec t && t.bias();
        if (biased != (logitBias != null)) {
            throw new IllegalArgumentException(
                    biased
                            ? "The router spec has a bias, but no router bias was given"
                            : "A router bias was given for a router spec without one");
        }
        if (logitBias != null && logitBias.length != spec.numExperts()) {
            throw new IllegalArgumentException(
                    "A router bias of "
                            + logitBias.length
                            + " values for "
                            + spec.numExperts()
                            + " experts");
        }
        if (spec.numChoices() != spec.numExperts()) {
            throw new IllegalArgumentException("The MoeJava engine does not run null experts");
        }
        this.spec = spec;
        this.logitBias = logitBias == null ? null : logitBias.clone();
    }

    int topK() {
        return spec.topK();
    }

    /**
     * Chooses one token's experts.
     *
     * @param logits the router's logits \(x W^\top\) (without the router bias); not modified
     * @param correctionBias the selection bias of a group-limited router, or null
     * @return the experts and their weights
     */
    Choice route(float[] logits, float[] correctionBias) {
        if (logitBias != null) {
            float[] z = new float[logits.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = logits[i] + logitBias[i];
            }
            logits = z;
        }
        if (spec instanceof SoftmaxTopKSpec) {
            float[] p = Vectors.softmax(logits);
            int[] top = topK(p, spec.topK());
            return finish(top, gather(p, top), spec.normalizeTopK(), false);
        }
        if (spec instanceof TopKSoftmaxSpec) {
            int[] top = topK(logits, spec.topK());
            return finish(top, Vectors.softmax(gather(logits, top)), false, false);
        }
        return grouped((GroupLimitedSpec) spec, logits, correctionBias);
    }

    private Choice grouped(GroupLimitedSpec group, float[] logits, float[] bias) {
        int e = logits.length;
        float[] s = new float[e];
        if (group.scoring() == ScoringFunction.SIGMOID) {
            for (int i = 0; i < e; i++) {
                s[i] = Vectors.sigmoid(logits[i]);
            }
        } else {
            s = Vectors.softmax(logits);
        }
        float[] choice = s.clone();
        if (bias != null) {
            for (int i = 0; i < e; i++) {
                choice[i] += bias[i];
            }
        }
        int groups = group.numGroups();
        if (groups > 1 && group.topKGroups() < groups) {
            int size = e / groups;
            float[] groupScore = new float[groups];
            for (int g = 0; g < groups; g++) {
                float[] members = new float[size];
                System.arraycopy(choice, g * size, members, 0, size);
                int[] best = topK(members, group.groupScore() == GroupScore.TOP2_SUM ? 2 : 1);
                for (int b : best) {
                    groupScore[g] += members[b];
                }
            }
            boolean[] kept = new boolean[groups];
            for (int g : topK(groupScore, group.topKGroups())) {
                kept[g] = true;
            }
            for (int i = 0; i < e; i++) {
                if (!kept[i / size]) {
                    choice[i] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        int[] top = topK(choice, spec.topK());
        return finish(top, gather(s, top), spec.normalizeTopK(), true);
    }

    private Choice finish(int[] top, float[] weights, boolean normalize, boolean epsilon) {
        if (normalize) {
            float sum = 0;
            for (float w : weights) {
                sum += w;
            }
            if (epsilon) {
                sum += 1e-20f;
            }
            for (int i = 0; i < weights.length; i++) {
                weights[i] /= sum;
            }
        }
        float factor = spec.scalingFactor();
        if (factor != 1f) {
            for (int i = 0; i < weights.length; i++) {
                weights[i] *= factor;
            }
        }
        return new Choice(top, weights);
    }

    private static float[] gather(float[] values, int[] index) {
        float[] out = new float[index.length];
        for (int i = 0; i < index.length; i++) {
            out[i] = values[index[i]];
        }
        return out;
    }

    /** The indices of the k largest values, largest first; ties to the lower index. */
    static int[] topK(float[] values, int k) {
        int[] top = new int[k];
        boolean[] taken = new boolean[values.length];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int i = 0; i < values.length; i++) {
                if (!taken[i] && (best < 0 || values[i] > values[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top[j] = best;
        }
        return top;
    }
}
