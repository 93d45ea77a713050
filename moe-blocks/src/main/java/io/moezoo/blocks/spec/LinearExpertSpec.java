package io.moezoo.blocks.spec;

/**
 * Linear experts: y = W x, one [I, H] matrix per expert and no activation (the projections of
 * mixture-of-attention-heads).
 *
 * <p>JSON {@code "type": "linear"}; no optional fields.
 *
 * @param numExperts E
 * @param hiddenSize H, the input width
 * @param intermediateSize I, the output width
 */
public record LinearExpertSpec(int numExperts, int hiddenSize, int intermediateSize)
        implements ExpertSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS = "{}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param hiddenSize H, the input width
     * @param intermediateSize I, the output width
     */
    public LinearExpertSpec {
        ExpertSpec.checkShape("linear", numExperts, hiddenSize, intermediateSize);
    }
}
