package io.moezoo.blocks.spec;

/**
 * Softmax over all experts, then the top k (Mixtral, Qwen-MoE, OLMoE, DeepSeek-V1): w = top_k(
 * softmax(x Wᵀ)), renormalised when {@code normalizeTopK}, times {@code scalingFactor}.
 *
 * <p>JSON {@code "type": "softmax_top_k"}; defaults: {@code normalizeTopK false, scalingFactor 1,
 * jitter 0, nullExperts 0}.
 *
 * @param numExperts E
 * @param topK k
 * @param normalizeTopK whether the k weights are renormalised to sum to one
 * @param scalingFactor the factor on the final weights
 * @param jitter ε of the training-time input jitter
 * @param nullExperts zero-output experts beside the E real ones (AdaMoE)
 */
public record SoftmaxTopKSpec(
        int numExperts,
        int topK,
        boolean normalizeTopK,
        float scalingFactor,
        float jitter,
        int nullExperts)
        implements RouterSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS =
            "{\"normalizeTopK\":false,\"scalingFactor\":1.0,\"jitter\":0.0,\"nullExperts\":0}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param topK k
     * @param normalizeTopK whether the k weights are renormalised to sum to one
     * @param scalingFactor the factor on the final weights
     * @param jitter ε of the training-time input jitter
     * @param nullExperts zero-output experts beside the E real ones (AdaMoE)
     */
    public SoftmaxTopKSpec {
        RouterChecks.experts("softmax_top_k", numExperts, topK, nullExperts);
        RouterChecks.scaling("softmax_top_k", scalingFactor);
        RouterChecks.jitter("softmax_top_k", jitter);
    }

    /**
     * Returns a spec with the defaults.
     *
     * @param numExperts E
     * @param topK k
     * @return the spec
     */
    public static SoftmaxTopKSpec of(int numExperts, int topK) {
        return new SoftmaxTopKSpec(numExperts, topK, false, 1f, 0f, 0);
    }

    /**
     * Returns a copy that renormalises (or not) the top-k weights.
     *
     * @param normalize whether to renormalise
     * @return the copy
     */
    public SoftmaxTopKSpec withNormalizeTopK(boolean normalize) {
        return new SoftmaxTopKSpec(numExperts, topK, normalize, scalingFactor, jitter, nullExperts);
    }

    /**
     * Returns a copy with another scaling factor.
     *
     * @param factor the factor on the final weights
     * @return the copy
     */
    public SoftmaxTopKSpec withScalingFactor(float factor) {
        return new SoftmaxTopKSpec(numExperts, topK, normalizeTopK, factor, jitter, nullExperts);
    }

    /**
     * Returns a copy with training-time input jitter.
     *
     * @param epsilon ε
     * @return the copy
     */
    public SoftmaxTopKSpec withJitter(float epsilon) {
        return new SoftmaxTopKSpec(
                numExperts, topK, normalizeTopK, scalingFactor, epsilon, nullExperts);
    }

    /**
     * Returns a copy with null experts.
     *
     * @param count the null experts
     * @return the copy
     */
    public SoftmaxTopKSpec withNullExperts(int count) {
        return new SoftmaxTopKSpec(numExperts, topK, normalizeTopK, scalingFactor, jitter, count);
    }
}
