package io.moezoo.models.timeseries;

import io.moezoo.blocks.attention.CausalSelfAttention;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.residual.PreNormResidualBlock;

/**
 * One Time-MoE decoder layer ({@code TimeMoeDecoderLayer}), Time-MoE's configuration of {@link
 * PreNormResidualBlock}: \(h = x + \mathrm{Attn}(\mathrm{RMSNorm}(x))\), \(y = h +
 * \mathrm{MoE}(\mathrm{RMSNorm}(h))\), with causal RoPE attention and the MoE FFN with its
 * sigmoid-gated shared expert. Children: {@code input_layernorm}, {@code self_attn}, {@code
 * post_attention_layernorm}, {@code ffn_layer}.
 */
public final class TimeMoeLayer extends PreNormResidualBlock {

    private final MoeLayer ffn;

    /**
     * Creates a layer.
     *
     * @param spec the model spec
     */
    public TimeMoeLayer(TimeMoeSpec spec) {
        this(spec, new MoeLayer(spec.ffn()));
    }

    private TimeMoeLayer(TimeMoeSpec spec, MoeLayer ffn) {
        super(
                builder()
                        .optMixer(
                                "input_layernorm",
                                new RmsNorm(spec.hiddenSize(), spec.rmsNormEps()),
                                "self_attn",
                                new CausalSelfAttention(spec.attention()))
                        .setFeedForward(
                                "post_attention_layernorm",
                                new RmsNorm(spec.hiddenSize(), spec.rmsNormEps()),
                                "ffn_layer",
                                ffn));
        this.ffn = ffn;
    }

    /**
     * Returns the MoE FFN.
     *
     * @return the MoE layer
     */
    public MoeLayer getFfn() {
        return ffn;
    }
}
