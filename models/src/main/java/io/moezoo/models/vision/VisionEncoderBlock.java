package io.moezoo.models.vision;

import ai.djl.nn.norm.LayerNorm;
import io.moezoo.blocks.attention.BidirectionalSelfAttention;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.residual.FeedForward;
import io.moezoo.blocks.residual.GeluFeedForward;
import io.moezoo.blocks.residual.PreNormResidualBlock;

/**
 * One pre-LayerNorm ViT encoder block, the ViT's configuration of {@link PreNormResidualBlock}: \(h
 * = x + \mathrm{Attn}(\mathrm{LN}_1(x))\), \(y = h + \mathrm{MLP}(\mathrm{LN}_2(h))\), where the
 * MLP is a dense {@link GeluFeedForward} or a V-MoE layer of GELU MLP experts. Children: {@code
 * norm1}, {@code attn}, {@code norm2} and {@code mlp} (dense) or {@code moe}; {@link
 * VisionParameterNames} maps the dense MLP's parameters to the names of the published weight files.
 */
public final class VisionEncoderBlock extends PreNormResidualBlock {

    private final FeedForward mlp;

    /**
     * Creates block i of a model.
     *
     * @param spec the model spec
     * @param index the block index
     */
    public VisionEncoderBlock(VisionMoeSpec spec, int index) {
        this(
                spec,
                spec.isMoe(index)
                        ? new MoeLayer(spec.moeLayerSpec())
                        : new GeluFeedForward(spec.hiddenSize(), spec.mlpSize()));
    }

    private VisionEncoderBlock(VisionMoeSpec spec, FeedForward mlp) {
        super(
                builder()
                        .optMixer(
                                "norm1",
                                layerNorm(spec),
                                "attn",
                                new BidirectionalSelfAttention(
                                        spec.hiddenSize(), spec.numHeads(), true))
                        .setFeedForward(
                                "norm2",
                                layerNorm(spec),
                                mlp instanceof MoeLayer ? "moe" : "mlp",
                                mlp));
        this.mlp = mlp;
    }

    private static LayerNorm layerNorm(VisionMoeSpec spec) {
        return LayerNorm.builder().axis(1).optEpsilon(spec.layerNormEps()).build();
    }

    /**
     * Returns the MoE layer, or null for a dense block.
     *
     * @return the MoE layer
     */
    public MoeLayer getMoe() {
        return mlp instanceof MoeLayer moe ? moe : null;
    }
}
