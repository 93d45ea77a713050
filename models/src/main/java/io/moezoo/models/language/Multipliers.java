package io.moezoo.models.language;

/**
 * The scalar multipliers some decoders put on their residual stream (GraniteMoE's {@code
 * embedding_multiplier}, {@code residual_multiplier} and {@code logits_scaling}):
 *
 * <pre>
 * h₀ = embed(ids) · embedding
 * hᵢ = hᵢ₋₁ + residual · attn(norm(hᵢ₋₁)),  then  + residual · ffn(norm(·))
 * logits = lm_head(norm(h_L)) / logitsScaling
 * </pre>
 *
 * <p>Every other family has all three at 1 ({@link #NONE}).
 *
 * @param embedding the factor on the token embeddings
 * @param residual the factor on each sub-layer's output before the residual add
 * @param logitsScaling the divisor of the logits
 */
public record Multipliers(float embedding, float residual, float logitsScaling) {

    /** No scaling: every factor 1. */
    public static final Multipliers NONE = new Multipliers(1f, 1f, 1f);

    /**
     * Validates the factors.
     *
     * @param embedding the factor on the token embeddings
     * @param residual the factor on each sub-layer's output
     * @param logitsScaling the divisor of the logits
     */
    public Multipliers {
        for (float f : new float[] {embedding, residual, logitsScaling}) {
            if (!(f > 0) || !Float.isFinite(f)) {
                throw new IllegalArgumentException(
                        "Invalid multipliers: embedding, residual and logitsScaling must be finite"
                                + " and > 0, got "
                                + embedding
                                + ", "
                                + residual
                                + ", "
                                + logitsScaling);
            }
        }
    }

    /**
     * Returns whether every factor is 1.
     *
     * @return true for {@link #NONE}
     */
    public boolean isNone() {
        return equals(NONE);
    }
}
