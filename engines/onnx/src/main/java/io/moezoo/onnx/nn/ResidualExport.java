package io.moezoo.onnx.nn;

import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.residual.FeedForward;
import io.moezoo.blocks.residual.GeluFeedForward;
import io.moezoo.blocks.residual.PreNormResidualBlock;
import io.moezoo.onnx.UnsupportedExportException;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.moe.ExpertExport;
import io.moezoo.onnx.moe.MoeLayerExporter;
import java.util.function.UnaryOperator;

/**
 * Writes a {@link PreNormResidualBlock}: {@code h = x + s·mixer(norm1(x))}, {@code y = h +
 * s·ffn(norm2(h))}, with the token mixer given by the caller and the feed-forward (MoE layer, GELU
 * MLP or SwiGLU FFN) written here.
 */
public final class ResidualExport {

    private final OnnxOps ops;
    private final float normEpsilon;
    private final DispatchMode dispatch;
    private final float residualScale;

    /**
     * Creates the writer for blocks without a residual scale (ViT, Time-MoE).
     *
     * @param ops the graph
     * @param normEpsilon ε of the block's norms
     * @param dispatch how MoE feed-forwards run their experts
     */
    public ResidualExport(OnnxOps ops, float normEpsilon, DispatchMode dispatch) {
        this(ops, normEpsilon, dispatch, 1f);
    }

    /**
     * Creates the writer.
     *
     * @param ops the graph
     * @param normEpsilon ε of the block's norms
     * @param dispatch how MoE feed-forwards run their experts
     * @param residualScale the factor on each branch before the residual add, as the model's spec
     *     gives it to its blocks (GraniteMoE's {@code residual_multiplier}; 1 for the others)
     */
    public ResidualExport(
            OnnxOps ops, float normEpsilon, DispatchMode dispatch, float residualScale) {
        this.ops = ops;
        this.normEpsilon = normEpsilon;
        this.dispatch = dispatch;
        this.residualScale = residualScale;
    }

    /**
     * Adds the block.
     *
     * @param block the block
     * @param x the input {@code [B, S, H]}
     * @param mixer writes the token mixer on the normalised input (null if the block has none)
     * @param name the initializer name prefix
     * @return the output {@code [B, S, H]}
     */
    public String block(
            PreNormResidualBlock block, String x, UnaryOperator<String> mixer, String name) {
        float scale = residualScale;
        String h = x;
        if (block.getMixer() != null) {
            String normed = norm(block.getMixerNorm(), x, name + ".norm1");
            h = ops.add(x, ops.scale(mixer.apply(normed), scale));
        }
        String normed = norm(block.getFeedForwardNorm(), h, name + ".norm2");
        String ffn = feedForward(block.getFeedForward(), normed, block.getHiddenSize(), name);
        return ops.add(h, ops.scale(ffn, scale));
    }

    /**
     * Adds a normalisation block (DJL {@code LayerNorm} or {@link RmsNorm}).
     *
     * @param norm the block
     * @param x the input
     * @param name the initializer name prefix
     * @return the normalised value
     */
    public String norm(Block norm, String x, String name) {
        if (norm instanceof LayerNorm) {
            return LayerExport.layerNorm(ops, norm, x, normEpsilon, name);
        } else if (norm instanceof RmsNorm r) {
            return LayerExport.rmsNorm(ops, r, x, normEpsilon, name);
        }
        throw new UnsupportedExportException(
                "norm " + norm.getClass().getSimpleName(), "only LayerNorm and RmsNorm");
    }

    /**
     * Adds a feed-forward on {@code [B, S, H]}.
     *
     * @param ffn the feed-forward
     * @param x the normalised input {@code [B, S, H]}
     * @param hidden H
     * @param name the initializer name prefix
     * @return the output {@code [B, S, H]}
     */
    public String feedForward(FeedForward ffn, String x, int hidden, String name) {
        if (ffn instanceof MoeLayer moe) {
            String flat = ops.reshape(x, -1, hidden);
            String group = ops.gather(ops.shape(x), ops.graph().ints(1), 0);
            String y = MoeLayerExporter.emit(ops, moe, flat, group, dispatch, name + ".moe.");
            return ops.reshapeTo(y, ops.shape(x));
        } else if (ffn instanceof GeluFeedForward mlp) {
            return LayerExport.geluMlp(ops, mlp, x, name + ".mlp");
        } else if (ffn instanceof SwiGluFeedForward s) {
            return ExpertExport.sharedExpert(ops, s, x, name + ".mlp.");
        }
        throw new UnsupportedExportException(
                "feed-forward " + ffn.getClass().getSimpleName(),
                "only MoeLayer, GeluFeedForward and SwiGluFeedForward");
    }
}
