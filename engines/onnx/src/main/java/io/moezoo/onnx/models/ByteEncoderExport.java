package io.moezoo.onnx.models;

import io.moezoo.blocks.attention.CausalSelfAttention;
import io.moezoo.models.language.DecoderLayer;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.models.reward.FrozenByteEncoder;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.moe.ExpertExport;
import io.moezoo.onnx.moe.ParameterData;
import io.moezoo.onnx.nn.CausalAttentionExport;
import io.moezoo.onnx.nn.LayerExport;
import io.moezoo.onnx.nn.ResidualExport;
import java.util.List;

/**
 * Writes the reward models' {@link FrozenByteEncoder} in the pieces the models use: the residual
 * stream before the last layer's feed-forward, that feed-forward's input norm, the dense
 * feed-forward, and the final norm of {@code residual + ffn}.
 */
final class ByteEncoderExport {

    private final OnnxOps ops;
    private final MoeCausalLm lm;
    private final DecoderSpec spec;
    private final ResidualExport residual;

    ByteEncoderExport(OnnxOps ops, FrozenByteEncoder encoder) {
        this.ops = ops;
        this.lm = encoder.getLm();
        this.spec = lm.getSpec();
        this.residual =
                new ResidualExport(
                        ops,
                        spec.layerNormEps(),
                        DispatchMode.SPARSE,
                        spec.multipliers().residual());
    }

    private DecoderLayer last() {
        return lm.getLayers().get(lm.getLayers().size() - 1);
    }

    /**
     * The residual stream after the last layer's attention (as {@code beforeLastFfn}).
     *
     * @param ids the byte ids {@code [B, S]} (int64)
     * @return {@code [B, S, H]}
     */
    String beforeLastFfn(String ids) {
        String table = ops.constant(ParameterData.of(lm.getEmbedding()).tensor("encoder.embed"));
        String h = ops.gather(table, ids, 0);
        List<DecoderLayer> layers = lm.getLayers();
        CausalSelfAttention first = (CausalSelfAttention) layers.get(0).getAttention();
        CausalAttentionExport attention =
                new CausalAttentionExport(ops, first.getSpec(), "encoder.rope");
        for (int i = 0; i < layers.size() - 1; i++) {
            CausalSelfAttention self = (CausalSelfAttention) layers.get(i).getAttention();
            String name = "encoder.layers." + i;
            h =
                    residual.block(
                            layers.get(i),
                            h,
                            in ->
                                    attention
                                            .layer(self, in, null, null, name + ".self_attn")
                                            .output(),
                            name);
        }
        String name = "encoder.layers." + (layers.size() - 1);
        String normed = residual.norm(last().getInputNorm(), h, name + ".norm1");
        CausalSelfAttention self = (CausalSelfAttention) last().getAttention();
        return ops.add(h, attention.layer(self, normed, null, null, name + ".self_attn").output());
    }

    /**
     * The last layer's feed-forward input norm.
     *
     * @param h the residual stream
     * @return the normalised stream
     */
    String ffnInput(String h) {
        return residual.norm(last().getPostAttentionNorm(), h, "encoder.last.norm2");
    }

    /**
     * The last layer's own dense feed-forward.
     *
     * @param ffnInput the normalised stream
     * @return its output
     */
    String baseFfn(String ffnInput) {
        return ExpertExport.sharedExpert(ops, last().getDense(), ffnInput, "encoder.last.mlp.");
    }

    /**
     * The final norm of {@code h + ffnOutput}.
     *
     * @param h the residual stream
     * @param ffnOutput a feed-forward output
     * @return {@code [.., H]}
     */
    String finish(String h, String ffnOutput) {
        return LayerExport.rmsNorm(
                ops, lm.getNorm(), ops.add(h, ffnOutput), spec.rmsNormEps(), "encoder.norm");
    }

    /**
     * The masked mean over positions, {@code Σ h·m / Σ m}.
     *
     * @param hidden {@code [B, S, H]}
     * @param mask {@code [B, S]} (float)
     * @return {@code [B, H]}
     */
    String maskedMean(String hidden, String mask) {
        String m = ops.unsqueeze(mask, 2);
        return ops.div(ops.reduceSum(ops.mul(hidden, m), false, 1), ops.reduceSum(m, false, 1));
    }
}
