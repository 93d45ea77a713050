package io.moezoo.blocks.spec;

/**
 * SwiGLU experts (Mixtral, Qwen-MoE, OLMoE, DeepSeek): y = W_down (silu(W_gate x) ⊙ W_up x), no
 * biases.
 *
 * <p>JSON {@code "type": "swiglu"}; no optional fields.
 *
 * @param numExperts E
 * @param hiddenSize H
 * @param intermediateSize I
 */
public record SwiGluExpertSpec(int numExperts, int hiddenSize, int intermediateSize)
        implements ExpertSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS = "{}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param hiddenSize H
     * @param intermediateSize I
     */
    public SwiGluExpertSpec {
        ExpertSpec.checkShape("swiglu", numExperts, hiddenSize, intermediateSize);
    }
}
