package io.moezoo.blocks.attention;

/**
 * YaRN rotary scaling of a grouped-query attention layer (Hugging Face {@code rope_scaling} with
 * {@code rope_type: "yarn"}; gpt-oss: factor 32, original 4096 positions, β_fast 32, β_slow 1, no
 * truncation).
 *
 * @param factor the context extension factor s, &gt; 0
 * @param originalMaxPositions {@code original_max_position_embeddings}, &gt; 0
 * @param betaFast {@code beta_fast}, &gt; 0
 * @param betaSlow {@code beta_slow}, &gt; 0
 * @param truncate whether the correction range is floor/ceil-rounded ({@code truncate}; Hugging
 *     Face's default is true, gpt-oss sets false)
 * @param attentionFactor the factor on cos and sin; 0 for YaRN's default {@code 0.1·ln(s) + 1}
 */
public record YarnScaling(
        double factor,
        int originalMaxPositions,
        double betaFast,
        double betaSlow,
        boolean truncate,
        double attentionFactor) {

    /**
     * Validates the scaling.
     *
     * @param factor s
     * @param originalMaxPositions the original context
     * @param betaFast β_fast
     * @param betaSlow β_slow
     * @param truncate whether the correction range is rounded
     * @param attentionFactor the cos/sin factor, 0 for the default
     */
    public YarnScaling {
        if (!(factor > 0)
                || originalMaxPositions <= 0
                || !(betaFast > 0)
                || !(betaSlow > 0)
                || !(attentionFactor >= 0)
                || Double.isInfinite(factor)
                || Double.isInfinite(attentionFactor)) {
            throw new IllegalArgumentException(
                    "Invalid YaRN scaling: factor, originalMaxPositions and betas must be > 0 and"
                            + " attentionFactor >= 0, got "
                            + factor
                            + ", "
                            + originalMaxPositions
                            + ", "
                            + betaFast
                            + ", "
                            + betaSlow
                            + ", "
                            + attentionFactor);
        }
    }

    /**
     * Returns gpt-oss's scaling: factor 32, 4096 original positions, β_fast 32, β_slow 1, no
     * truncation, the default attention factor.
     *
     * @return the scaling
     */
    public static YarnScaling gptOss() {
        return new YarnScaling(32, 4096, 32, 1, false, 0);
    }

    /**
     * Returns the factor on cos and sin: {@code attentionFactor}, or {@code 0.1·ln(s) + 1} (1 for s
     * ≤ 1) when it is 0.
     *
     * @return the attention factor
     */
    public double cosSinFactor() {
        return attentionFactor > 0 ? attentionFactor : RotaryEmbedding.yarnMscale(factor, 1.0);
    }

    /**
     * Builds the rotary embedding.
     *
     * @param dim the rotary dimension, even
     * @param base {@code rope_theta}
     * @return the embedding
     */
    public RotaryEmbedding rope(int dim, double base) {
        return RotaryEmbedding.yarn(
                dim,
                base,
                factor,
                originalMaxPositions,
                betaFast,
                betaSlow,
                truncate,
                cosSinFactor());
    }
}
