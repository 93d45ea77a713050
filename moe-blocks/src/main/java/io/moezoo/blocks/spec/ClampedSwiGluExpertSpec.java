package io.moezoo.blocks.spec;

/**
 * gpt-oss's experts: SwiGLU with biases and clamping. With g = W_g x + b_g and u = W_u x + b_u:
 *
 * <pre>
 * g' = min(g, limit),  u' = clamp(u, −limit, limit)
 * y  = W_d ((u' + 1) · g' · σ(alpha · g')) + b_d
 * </pre>
 *
 * <p>JSON {@code "type": "clamped_swiglu"}; defaults: {@code limit 7.0, alpha 1.702} (gpt-oss's
 * {@code swiglu_limit} and its fixed α).
 *
 * @param numExperts E
 * @param hiddenSize H
 * @param intermediateSize I
 * @param limit the clamp of the gate (above) and the up projection (both sides)
 * @param alpha the slope inside the sigmoid
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
     * @param limit the clamp, finite and &gt; 0
     * @param alpha the sigmoid slope, finite and &gt; 0
     */
    public ClampedSwiGluExpertSpec {
        ExpertSpec.checkShape("clamped_swiglu", numExperts, hiddenSize, intermediateSize);
        if (!(limit > 0) || !Float.isFinite(limit) || !(alpha > 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException(
                    "Invalid clamped_swiglu expert spec: limit and alpha must be finite and > 0,"
                            + " got "
                            + limit
                            + ", "
                            + alpha);
        }
    }

    /**
     * Returns a spec with gpt-oss's limit 7 and alpha 1.702.
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
