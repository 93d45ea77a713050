package io.moezoo.blocks.spec;

/**
 * Noisy top-k gating (Shazeer et al. 2017): H(x) = x W_g + ε · softplus(x W_noise) while training,
 * w = softmax(top_k(H(x))); the noise weights are learned.
 *
 * <p>JSON {@code "type": "noisy_top_k"}; no optional fields.
 *
 * @param numExperts E
 * @param topK k
 */
public record NoisyTopKSpec(int numExperts, int topK) implements RouterSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS = "{}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param topK k
     */
    public NoisyTopKSpec {
        RouterChecks.experts("noisy_top_k", numExperts, topK, 0);
    }
}
