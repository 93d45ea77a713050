package io.moezoo.blocks.spec;

/**
 * Describes the always-on shared expert: a SwiGLU FFN every token passes through, either ungated
 * (DeepSeekMoE: {@code n_shared_experts · moe_intermediate_size} wide) or scaled by a per-token
 * sigmoid gate (Qwen2-MoE, Time-MoE: {@code sigmoid(x·w_g) · FFN(x)}).
 *
 * @param intermediateSize the FFN width
 * @param gated whether a sigmoid gate scales the output
 */
public record SharedExpertSpec(int intermediateSize, boolean gated) {

    /**
     * Validates the spec.
     *
     * @param intermediateSize the FFN width
     * @param gated whether a sigmoid gate scales the output
     */
    public SharedExpertSpec {
        if (intermediateSize <= 0) {
            throw new IllegalArgumentException(
                    "Invalid shared expert spec: intermediateSize must be > 0, got "
                            + intermediateSize);
        }
    }
}
