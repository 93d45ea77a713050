package io.moezoo.blocks.spec;

/**
 * The top k logits first, then a softmax over those k (Mixtral as written by some ports, MoA,
 * Shazeer-style gating without noise, gpt-oss with its logit bias): w = softmax(top_k(x Wᵀ + b)) ·
 * scalingFactor.
 *
 * <p>JSON {@code "type": "top_k_softmax"}; defaults: {@code scalingFactor 1, jitter 0, nullExperts
 * 0, bias false}.
 *
 * @param numExperts E
 * @param topK k
 * @param scalingFactor the factor on the final weights
 * @param jitter ε of the training-time input jitter
 * @param nullExperts zero-output experts beside the E real ones
 * @param bias whether the router logits have a learned bias {@code [E']} (gpt-oss {@code
 *     mlp.router.bias})
 */
public record TopKSoftmaxSpec(
        int numExperts, int topK, float scalingFactor, float jitter, int nullExperts, boolean bias)
        implements RouterSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS =
            "{\"scalingFactor\":1.0,\"jitter\":0.0,\"nullExperts\":0,\"bias\":false}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param topK k
     * @param scalingFactor the factor on the final weights
     * @param jitter ε of the training-time input jitter
     * @param nullExperts zero-output experts beside the E real ones
     * @param bias whether the logits have a learned bias
     */
    public TopKSoftmaxSpec {
        RouterChecks.experts("top_k_softmax", numExperts, topK, nullExperts);
        RouterChecks.scaling("top_k_softmax", scalingFactor);
        RouterChecks.jitter("top_k_softmax", jitter);
    }

    /**
     * Creates a spec without a logit bias.
     *
     * @param numExperts E
     * @param topK k
     * @param scalingFactor the factor on the final weights
     * @param jitter ε of the training-time input jitter
     * @param nullExperts zero-output experts beside the E real ones
     */
    public TopKSoftmaxSpec(
            int numExperts, int topK, float scalingFactor, float jitter, int nullExperts) {
        this(numExperts, topK, scalingFactor, jitter, nullExperts, false);
    }

    /**
     * Returns a spec with the defaults.
     *
     * @param numExperts E
     * @param topK k
     * @return the spec
     */
    public static TopKSoftmaxSpec of(int numExperts, int topK) {
        return new TopKSoftmaxSpec(numExperts, topK, 1f, 0f, 0, false);
    }

    /**
     * Returns a copy with null experts.
     *
     * @param count the null experts
     * @return the copy
     */
    public TopKSoftmaxSpec withNullExperts(int count) {
        return new TopKSoftmaxSpec(numExperts, topK, scalingFactor, jitter, count, bias);
    }

    /**
     * Returns a copy with training-time input jitter.
     *
     * @param epsilon ε
     * @return the copy
     */
    public TopKSoftmaxSpec withJitter(float epsilon) {
        return new TopKSoftmaxSpec(numExperts, topK, scalingFactor, epsilon, nullExperts, bias);
    }

    /**
     * Returns a copy with or without a learned logit bias (gpt-oss routers have one).
     *
     * @param withBias whether the logits have a bias
     * @return the copy
     */
    public TopKSoftmaxSpec withBias(boolean withBias) {
        return new TopKSoftmaxSpec(numExperts, topK, scalingFactor, jitter, nullExperts, withBias);
    }
}
