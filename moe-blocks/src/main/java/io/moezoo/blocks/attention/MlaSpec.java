package io.moezoo.blocks.attention;

/**
 * Describes DeepSeek-V2/V3 multi-head latent attention (config names in brackets).
 *
 * @param hiddenSize H
 * @param numHeads {@code num_attention_heads}
 * @param qLoraRank {@code q_lora_rank}, 0 for a plain {@code q_proj}
 * @param kvLoraRank {@code kv_lora_rank}
 * @param qkNopeHeadDim {@code qk_nope_head_dim}
 * @param qkRopeHeadDim {@code qk_rope_head_dim}
 * @param vHeadDim {@code v_head_dim}
 * @param rmsNormEps ε of the latent RMSNorms
 * @param rope the rotary embedding over {@code qk_rope_head_dim}
 * @param softmaxScale the attention scale (\(d_{qk}^{-1/2}\), times \(mscale^2\) with YaRN)
 */
public record MlaSpec(
        int hiddenSize,
        int numHeads,
        int qLoraRank,
        int kvLoraRank,
        int qkNopeHeadDim,
        int qkRopeHeadDim,
        int vHeadDim,
        float rmsNormEps,
        RotaryEmbedding rope,
        double softmaxScale)
        implements AttentionLayerSpec {

    /**
     * Validates the spec.
     *
     * @param hiddenSize H
     * @param numHeads heads
     * @param qLoraRank q LoRA rank or 0
     * @param kvLoraRank kv LoRA rank
     * @param qkNopeHeadDim non-rotary q/k head dim
     * @param qkRopeHeadDim rotary q/k head dim
     * @param vHeadDim value head dim
     * @param rmsNormEps ε
     * @param rope the rotary embedding
     * @param softmaxScale the attention scale
     */
    public MlaSpec {
        if (hiddenSize <= 0
                || numHeads <= 0
                || qLoraRank < 0
                || kvLoraRank <= 0
                || qkNopeHeadDim < 0
                || qkRopeHeadDim <= 0
                || vHeadDim <= 0
                || rope == null
                || !(softmaxScale > 0)) {
            throw new IllegalArgumentException(
                    "Invalid MLA spec: sizes must be positive (q_lora_rank may be 0)");
        }
    }

    /**
     * Returns {@code qk_nope_head_dim + qk_rope_head_dim}.
     *
     * @return the query/key head dimension
     */
    public int qkHeadDim() {
        return qkNopeHeadDim + qkRopeHeadDim;
    }

    /** {@inheritDoc} */
    @Override
    public AttentionBlock create() {
        return new MultiHeadLatentAttention(this);
    }

    /** {@inheritDoc} */
    @Override
    public String kind() {
        return "multi-head latent attention (MLA)";
    }
}
