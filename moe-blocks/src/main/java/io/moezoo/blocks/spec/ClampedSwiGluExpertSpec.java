package io.moezoo.blocks.spec;

/**
 * gpt-oss experts: a SwiGLU with biases, a clamped gate and up projection and a sigmoid slope α,
 *
 * <pre>
 *   g = min(x·W_gᵀ + b_g, limit);  u = clamp(x·W_uᵀ + b_u, -limit, limit)
 *   y = W_d·((u + 1) · g · σ(α·g)) + b_d
 * </pre>
 *
 * <p>JSON {@code "type": "clamped_swiglu"}; defaults: {@code limit 7.0, alpha 1.702} (gpt-oss
 * {@code swiglu_limit}, {@code swiglu_alpha}).
 *
 * @param numExperts E
 * @param hiddenSize H
 * @param intermediateSize I
 * @param limit the clamp bound, &gt; 0 (the gate is clamped above only, the up projection on both
 *     sides)
 * @param alpha the slope α inside the sigmoid, &gt; 0
 */
public record ClampedSwiGluExpertSpec(
        int numExperts, int hiddenSize, int intermediateSize, float limit, float alpha)
        implements ExpertSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS = "{\"limit\":7.0,\"alpha\":1.702}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param hiddenSize H
     * @param intermediateSize I
     * @param limit the clamp bound
     * @param alpha the sigmoid slope
     */
    public ClampedSwiGluExpertSpec {
        ExpertSpec.checkShape("clamped_swiglu", numExperts, hiddenSize, intermediateSize);
        if (!(limit > 0) || Float.isInfinite(limit) || !(alpha > 0) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException(
                    "Invalid clamped_swiglu expert spec: limit and alpha must be finite and > 0,"
                            + " got "
                            + limit
                            + ", "
                            + alpha);
        }
    }

    /**
     * Returns a spec with gpt-oss's limit 7 and α 1.702.
     *
     * @param numExperts E
     * @param hiddenSize H
     * @param intermediateSize I
     * @return the spec
     */
    public static ClampedSwiGluExpertSpec of(int numExperts, int hiddenSize, int intermediateSize) {
        return new ClampedSwiGluExpertSpec(numExperts, hiddenSize, intermediateSize, 7f, 1.702f);
    }
}
