package io.moezoo.models.language;

import io.moezoo.blocks.attention.AttentionBlock;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.residual.FeedForward;
import io.moezoo.blocks.residual.PreNormResidualBlock;
import io.moezoo.blocks.spec.MoeLayerSpec;

/**
 * One pre-norm decoder layer, the decoder's configuration of {@link PreNormResidualBlock}: \(h = x
 * + \mathrm{Attn}(\mathrm{RMSNorm}(x))\), \(y = h + \mathrm{FFN}(\mathrm{RMSNorm}(h))\) where the
 * FFN is an MoE layer or a dense SwiGLU FFN. Children, as in Hugging Face checkpoints: {@code
 * input_layernorm}, {@code self_attn}, {@code post_attention_layernorm}, {@code mlp}.
 */
public final class DecoderLayer extends PreNormResidualBlock {

    private final RmsNorm inputNorm;
    private final AttentionBlock attention;
    private final RmsNorm postAttentionNorm;
    private final FeedForward mlp;

    /**
     * Creates layer i of a decoder.
     *
     * @param spec the decoder spec
     * @param index the layer index
     */
    public DecoderLayer(DecoderSpec spec, int index) {
        this(
                new RmsNorm(spec.hiddenSize(), spec.layerNormEps()),
                spec.attention(index).create(),
                new RmsNorm(spec.hiddenSize(), spec.layerNormEps()),
                feedForward(spec, index),
                spec.multipliers().residual());
    }

    private DecoderLayer(
            RmsNorm inputNorm,
            AttentionBlock attention,
            RmsNorm postAttentionNorm,
            FeedForward mlp,
            float residualScale) {
        super(
                builder()
                        .optMixer("input_layernorm", inputNorm, "self_attn", attention)
                        .setFeedForward("post_attention_layernorm", postAttentionNorm, "mlp", mlp)
                        .optResidualScale(residualScale));
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    private static FeedForward feedForward(DecoderSpec spec, int index) {
        MoeLayerSpec moe = spec.ffn().get(index);
        return moe != null
                ? new MoeLayer(moe)
                : new SwiGluFeedForward(spec.hiddenSize(), spec.denseIntermediateSize(), false);
    }

    /**
     * Returns the input RMSNorm.
     *
     * @return the norm
     */
    public RmsNorm getInputNorm() {
        return inputNorm;
    }

    /**
     * Returns the attention block.
     *
     * @return the attention
     */
    public AttentionBlock getAttention() {
        return attention;
    }

    /**
     * Returns the post-attention RMSNorm.
     *
     * @return the norm
     */
    public RmsNorm getPostAttentionNorm() {
        return postAttentionNorm;
    }

    /**
     * Returns the MoE FFN, or null for a dense layer.
     *
     * @return the MoE layer
     */
    public MoeLayer getMoe() {
        return mlp instanceof MoeLayer moe ? moe : null;
    }

    /**
     * Returns the dense FFN, or null for an MoE layer.
     *
     * @return the dense FFN
     */
    public SwiGluFeedForward getDense() {
        return mlp instanceof SwiGluFeedForward dense ? dense : null;
    }
}
