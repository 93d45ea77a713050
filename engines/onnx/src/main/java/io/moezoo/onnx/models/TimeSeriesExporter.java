package io.moezoo.onnx.models;

import io.moezoo.blocks.attention.CausalSelfAttention;
import io.moezoo.models.timeseries.PointEmbedding;
import io.moezoo.models.timeseries.TimeMoeForecaster;
import io.moezoo.models.timeseries.TimeMoeLayer;
import io.moezoo.models.timeseries.TimeMoeSpec;
import io.moezoo.onnx.graph.GraphBuilder;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxModel;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.moe.ParameterData;
import io.moezoo.onnx.nn.Blocks;
import io.moezoo.onnx.nn.CausalAttentionExport;
import io.moezoo.onnx.nn.ResidualExport;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslator;

/**
 * Exports a {@link TimeMoeForecaster}: input {@code values [batch, steps]} (instance-normalised, as
 * the block takes them; at most the context length), one output per forecast head, named as the
 * block names them ({@code horizon_<h>}, {@code [batch, steps, h]}) so the PyTorch path's
 * translator reads them unchanged. A spec with the last-value skip adds {@code values} to every
 * head, as the block does.
 */
public final class TimeSeriesExporter {

    private TimeSeriesExporter() {}

    /**
     * Exports the model.
     *
     * @param model the block (loaded or initialized)
     * @param dispatch how MoE layers run their experts
     * @return the ONNX model
     */
    public static OnnxModel export(TimeMoeForecaster model, DispatchMode dispatch) {
        TimeMoeSpec spec = model.getSpec();
        GraphBuilder g = new GraphBuilder("time_moe");
        OnnxOps ops = new OnnxOps(g);
        String values = g.input("values", OnnxDataType.FLOAT, "batch", "steps");
        PointEmbedding embedding = (PointEmbedding) Blocks.child(model, "embed_layer");
        String x = ops.unsqueeze(values, -1); // [B, S, 1]
        String gate = linear(ops, ParameterData.of(embedding.getGate()), x, "embed.gate_layer");
        String emb = linear(ops, ParameterData.of(embedding.getEmbedding()), x, "embed.emb_layer");
        String h = ops.mul(ops.silu(gate), emb);
        ResidualExport residual = new ResidualExport(ops, spec.rmsNormEps(), dispatch);
        CausalAttentionExport attention = new CausalAttentionExport(ops, spec.attention(), "rope");
        int i = 0;
        for (TimeMoeLayer layer : model.getLayers()) {
            String name = "layers." + i++;
            CausalSelfAttention self = (CausalSelfAttention) layer.getMixer();
            h =
                    residual.block(
                            layer,
                            h,
                            in ->
                                    attention
                                            .layer(self, in, null, null, name + ".self_attn")
                                            .output(),
                            name);
        }
        h = residual.norm(Blocks.child(model, "norm"), h, "norm");
        int[] horizons = spec.horizonLengths();
        for (int k = 0; k < horizons.length; k++) {
            String head = linear(ops, Blocks.param(model, "lm_heads_" + k), h, "lm_heads_" + k);
            if (spec.lastValueSkip()) {
                head = ops.add(head, x); // + x_t, broadcast over the head's steps
            }
            String outName = TimeMoeForecastTranslator.HEAD_PREFIX + horizons[k];
            g.output(head, outName, OnnxDataType.FLOAT, "batch", "steps", horizons[k]);
        }
        g.metadata("moezoo.family", "timeseries");
        g.metadata("moezoo.spec", spec.toJson());
        g.metadata("moezoo.dispatch", dispatch.name());
        return g.build();
    }

    private static String linear(OnnxOps ops, ParameterData w, String x, String name) {
        return ops.matMul(x, ops.constant(w.transposeLast().tensor(name + "_t")));
    }
}
