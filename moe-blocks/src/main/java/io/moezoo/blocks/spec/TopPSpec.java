package io.moezoo.blocks.spec;

/**
 * Top-p (dynamic) routing (Huang et al. 2024): each token takes experts in order of softmax
 * probability until their sum reaches p, at least {@code minExperts} and at most {@code
 * maxExperts}.
 *
 * <p>JSON {@code "type": "top_p"}; defaults: {@code minExperts 1, maxExperts 0 (= E), normalizeTopK
 * false, scalingFactor 1, nullExperts 0}.
 *
 * @param numExperts E
 * @param topP p in (0, 1]
 * @param minExperts the fewest experts per token
 * @param maxExperts the most experts per token (0 is read as E)
 * @param normalizeTopK whether the kept weights are renormalised
 * @param scalingFactor the factor on the final weights
 * @param nullExperts zero-output experts beside the E real ones
 */
public record TopPSpec(
        int numExperts,
        float topP,
        int minExperts,
        int maxExperts,
        boolean normalizeTopK,
        float scalingFactor,
        int nullExperts)
        implements RouterSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS =
            "{\"minExperts\":1,\"maxExperts\":0,\"normalizeTopK\":false,\"scalingFactor\":1.0,"
                    + "\"nullExperts\":0}";

    /**
     * Validates every field; a {@code maxExperts} of 0 becomes E.
     *
     * @param numExperts E
     * @param topP p in (0, 1]
     * @param minExperts the fewest experts per token
     * @param maxExperts the most experts per token (0 is read as E)
     * @param normalizeTopK whether the kept weights are renormalised
     * @param scalingFactor the factor on the final weights
     * @param nullExperts zero-output experts beside the E real ones
     */
    public TopPSpec {
        if (maxExperts == 0) {
            maxExperts = numExperts;
        }
        RouterChecks.experts("top_p", numExperts, Math.max(1, maxExperts), nullExperts);
        RouterChecks.require(topP > 0 && topP <= 1, "top_p", "topP must be in (0, 1], got " + topP);
        RouterChecks.require(
                minExperts >= 1 && minExperts <= maxExperts,
                "top_p",
                "expert bounds need 1 <= minExperts <= maxExperts <= E, got min="
                        + minExperts
                        + ", max="
                        + maxExperts
                        + ", E="
                        + (numExperts + nullExperts));
        RouterChecks.scaling("top_p", scalingFactor);
    }

    /**
     * Returns a spec with the defaults.
     *
     * @param numExperts E
     * @param topP p
     * @param minExperts the fewest experts per token
     * @param maxExperts the most experts per token
     * @return the spec
     */
    public static TopPSpec of(int numExperts, float topP, int minExperts, int maxExperts) {
        return new TopPSpec(numExperts, topP, minExperts, maxExperts, false, 1f, 0);
    }

    /** The slots a token can fill: {@code maxExperts}. */
    @Override
    public int topK() {
        return maxExperts;
    }

    /**
     * Returns a copy that renormalises (or not) the kept weights.
     *
     * @param normalize whether to renormalise
     * @return the copy
     */
    public TopPSpec withNormalizeTopK(boolean normalize) {
        return new TopPSpec(
                numExperts, topP, minExperts, maxExperts, normalize, scalingFactor, nullExperts);
    }

    /**
     * Returns a copy with null experts.
     *
     * @param count the null experts
     * @return the copy
     */
    public TopPSpec withNullExperts(int count) {
        return new TopPSpec(
                numExperts, topP, minExperts, maxExperts, normalizeTopK, scalingFactor, count);
    }
}
