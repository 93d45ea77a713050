package io.moezoo.onnx.models;

import io.moezoo.blocks.attention.AttentionBlock;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.CausalSelfAttention;
import io.moezoo.models.language.DecoderLayer;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.onnx.UnsupportedExportException;
import io.moezoo.onnx.graph.GraphBuilder;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxModel;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.moe.ParameterData;
import io.moezoo.onnx.nn.CausalAttentionExport;
import io.moezoo.onnx.nn.LayerExport;
import io.moezoo.onnx.nn.ResidualExport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a {@link MoeCausalLm} as one graph for prefill and cached decode, with the block's own
 * forward contract: inputs {@code ids [batch, sequence]} (int64) then {@code past_key_<l>}, {@code
 * past_value_<l>} for every layer ({@code [batch, kvHeads, past, headDim]}; zero-length for a
 * prefill), outputs {@code logits [batch, sequence, vocab]} then {@code present_key_<l>}, {@code
 * present_value_<l>} (past and new positions, keys after RoPE). Positions start at {@code past}
 * (RoPE is computed in the graph, so any position works, as in the block).
 */
public final class LanguageExporter {

    private LanguageExporter() {}

    /**
     * Exports the model.
     *
     * @param model the block (loaded or initialized)
     * @param dispatch how MoE layers run their experts
     * @return the ONNX model
     * @throws UnsupportedExportException if a layer's attention is not grouped-query attention
     */
    public static OnnxModel export(MoeCausalLm model, DispatchMode dispatch) {
        DecoderSpec spec = model.getSpec();
        GraphBuilder g = new GraphBuilder("moe_causal_lm");
        OnnxOps ops = new OnnxOps(g);
        String ids = g.input("ids", OnnxDataType.INT64, "batch", "sequence");
        List<DecoderLayer> layers = model.getLayers();
        List<String[]> past = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            AttentionSpec a = attentionSpec(layers.get(l).getAttention(), l);
            Object[] dims = {"batch", a.numKvHeads(), "past", a.headDim()};
            past.add(
                    new String[] {
                        g.input("past_key_" + l, OnnxDataType.FLOAT, dims),
                        g.input("past_value_" + l, OnnxDataType.FLOAT, dims)
                    });
        }
        List<String[]> present = new ArrayList<>();
        String h = decoder(ops, model, ids, past, dispatch, present);
        String logits = project(ops, model, h);
        g.output(logits, "logits", OnnxDataType.FLOAT, "batch", "sequence", spec.vocabSize());
        for (int l = 0; l < layers.size(); l++) {
            AttentionSpec a = attentionSpec(layers.get(l).getAttention(), l);
            Object[] dims = {"batch", a.numKvHeads(), "total", a.headDim()};
            g.output(present.get(l)[0], "present_key_" + l, OnnxDataType.FLOAT, dims);
            g.output(present.get(l)[1], "present_value_" + l, OnnxDataType.FLOAT, dims);
        }
        StringBuilder layout = new StringBuilder();
        for (int l = 0; l < layers.size(); l++) {
            AttentionSpec a = attentionSpec(layers.get(l).getAttention(), l);
            layout.append(l == 0 ? "" : ",").append(a.numKvHeads()).append(':').append(a.headDim());
        }
        g.metadata("moezoo.kv_cache", layout.toString());
        g.metadata("moezoo.family", "language");
        g.metadata("moezoo.spec", spec.toJson());
        g.metadata("moezoo.dispatch", dispatch.name());
        return g.build();
    }

    /**
     * Adds the final hidden states (after the final norm) of token ids with no past: positions
     * start at 0, as {@code MoeCausalLm.hiddenStates} without a cache. Write a frozen model several
     * times through {@link OnnxOps#sharingConstants} to store its weights once.
     *
     * @param ops the graph
     * @param model the block (loaded or initialized)
     * @param ids int64 token ids {@code [B, S]}
     * @param dispatch how MoE layers run their experts
     * @return the hidden states {@code [B, S, H]}
     * @throws UnsupportedExportException if a layer's attention is not grouped-query attention
     */
    public static String hiddenStates(
            OnnxOps ops, MoeCausalLm model, String ids, DispatchMode dispatch) {
        return decoder(ops, model, ids, null, dispatch, null);
    }

    /**
     * Adds the projection of final hidden states onto the vocabulary ({@code MoeCausalLm.project}):
     * the LM head (or the tied embedding), divided by the logits scaling.
     *
     * @param ops the graph
     * @param model the block
     * @param hidden the hidden states {@code [..., H]}
     * @return the logits {@code [..., vocab]}
     */
    public static String project(OnnxOps ops, MoeCausalLm model, String hidden) {
        ParameterData head =
                ParameterData.of(
                        model.getLmHead() == null ? model.getEmbedding() : model.getLmHead());
        String logits = ops.matMul(hidden, ops.constant(head.transposeLast().tensor("lm_head_t")));
        float scaling = model.getSpec().multipliers().logitsScaling();
        return scaling == 1f ? logits : ops.div(logits, ops.graph().scalar(scaling));
    }

    /**
     * The embedding, the layers and the final norm; {@code past} holds each layer's cached keys and
     * values (null for none), {@code present} (if not null) receives the updated caches.
     */
    private static String decoder(
            OnnxOps ops,
            MoeCausalLm model,
            String ids,
            List<String[]> past,
            DispatchMode dispatch,
            List<String[]> present) {
        DecoderSpec spec = model.getSpec();
        List<DecoderLayer> layers = model.getLayers();
        for (int l = 0; l < layers.size(); l++) {
            attentionSpec(layers.get(l).getAttention(), l);
        }
        ParameterData table = ParameterData.of(model.getEmbedding());
        String embed = ops.constant(table.tensor("embed_tokens"));
        String h = ops.scale(ops.gather(embed, ids, 0), spec.multipliers().embedding());
        ResidualExport residual =
                new ResidualExport(
                        ops, spec.layerNormEps(), dispatch, spec.multipliers().residual());
        Map<String, CausalAttentionExport> ropes = new HashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            DecoderLayer layer = layers.get(l);
            CausalSelfAttention attention = (CausalSelfAttention) layer.getAttention();
            AttentionSpec a = attention.getSpec();
            // Layers with the same rotary settings share one pair of RoPE tables.
            String key =
                    a.ropeTheta()
                            + "/"
                            + a.ropeLinearFactor()
                            + "/"
                            + a.ropeDim()
                            + "/"
                            + a.headDim()
                            + "/"
                            + a.yarn();
            int index = l;
            CausalAttentionExport writer =
                    ropes.computeIfAbsent(
                            key, k -> new CausalAttentionExport(ops, a, "rope" + index));
            String[] cache = past == null ? new String[2] : past.get(l);
            String name = "layers." + l;
            CausalAttentionExport.Result[] result = new CausalAttentionExport.Result[1];
            h =
                    residual.block(
                            layer,
                            h,
                            in -> {
                                result[0] =
                                        writer.layer(
                                                attention,
                                                in,
                                                cache[0],
                                                cache[1],
                                                name + ".self_attn");
                                return result[0].output();
                            },
                            name);
            if (present != null) {
                present.add(new String[] {result[0].keys(), result[0].values()});
            }
        }
        // The final norm has its own ε (rmsNormEps); the layers' norms use layerNormEps.
        return LayerExport.rmsNorm(ops, model.getNorm(), h, spec.rmsNormEps(), "norm");
    }

    private static AttentionSpec attentionSpec(AttentionBlock attention, int layer) {
        if (!(attention instanceof CausalSelfAttention c)) {
            throw new UnsupportedExportException(
                    "attention " + attention.getClass().getSimpleName() + " (layer " + layer + ")",
                    "only grouped-query CausalSelfAttention is written");
        }
        return c.getSpec();
    }
}
