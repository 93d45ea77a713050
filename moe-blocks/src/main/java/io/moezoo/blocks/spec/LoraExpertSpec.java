package io.moezoo.blocks.spec;

/**
 * LoRA experts (MixLoRA, DMoERM): one frozen SwiGLU FFN shared by all experts, and per expert a
 * low-rank update (α/r) · B A on each of its three projections, rank r.
 *
 * <p>JSON {@code "type": "lora"}; defaults: {@code loraRank 8, loraAlpha 16}.
 *
 * @param numExperts E
 * @param hiddenSize H
 * @param intermediateSize I
 * @param loraRank r
 * @param loraAlpha α
 */
public record LoraExpertSpec(
        int numExperts, int hiddenSize, int intermediateSize, int loraRank, float loraAlpha)
        implements ExpertSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS = "{\"loraRank\":8,\"loraAlpha\":16.0}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param hiddenSize H
     * @param intermediateSize I
     * @param loraRank r
     * @param loraAlpha α
     */
    public LoraExpertSpec {
        ExpertSpec.checkShape("lora", numExperts, hiddenSize, intermediateSize);
        if (loraRank <= 0 || !(loraAlpha > 0) || !Float.isFinite(loraAlpha)) {
            throw new IllegalArgumentException(
                    "Invalid lora expert spec: loraRank and loraAlpha must be > 0, got "
                            + loraRank
                            + ", "
                            + loraAlpha);
        }
    }

    /**
     * Returns a spec with rank 8 and α 16.
     *
     * @param numExperts E
     * @param hiddenSize H
     * @param intermediateSize I
     * @return the spec
     */
    public static LoraExpertSpec of(int numExperts, int hiddenSize, int intermediateSize) {
        return new LoraExpertSpec(numExperts, hiddenSize, intermediateSize, 8, 16f);
    }
}
