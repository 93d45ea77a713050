package io.moezoo.onnx.moe;

import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.onnx.OnnxGraphException;
import io.moezoo.onnx.UnsupportedExportException;
import io.moezoo.onnx.graph.GraphBuilder;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxModel;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.graph.OnnxTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports a {@link MoeLayer} (inference semantics) as an ONNX graph: the router's rule, the routed
 * experts under a {@link DispatchMode}, the shared expert and the output bias.
 *
 * <pre>
 *   x ─▶ router (logits ─▶ rule) ─▶ weights, indices [T,k] ─▶ combine [T,E]
 *   │                                                          │
 *   ├──▶ SPARSE: per expert NonZero ─▶ Gather ─▶ expert ─▶ × w ─┴▶ ScatterND(add) ─▶ (+) ─▶ y
 *   │    DENSE:  all experts [E,T,H] ─▶ × combineᵀ ─▶ ReduceSum ────────────────────▲
 *   └──▶ shared expert ──────────────────────────────────────────────────────────┘
 * </pre>
 */
public final class MoeLayerExporter {

    private MoeLayerExporter() {}

    /**
     * Exports a layer alone: input {@code x} of shape {@code [tokens, H]} (rank 2) or {@code
     * [batch, sequence, H]} (rank 3), output {@code y} of the same shape.
     *
     * @param layer the layer (initialized or loaded)
     * @param dispatch how the routed experts run
     * @param inputRank 2 or 3
     * @return the model
     * @throws UnsupportedExportException if the router or expert form has no ONNX form here
     * @throws OnnxGraphException if the rank is not 2 or 3
     */
    public static OnnxModel export(MoeLayer layer, DispatchMode dispatch, int inputRank) {
        if (inputRank != 2 && inputRank != 3) {
            throw new OnnxGraphException("MoE layer input rank must be 2 or 3, got " + inputRank);
        }
        int hidden = layer.getSpec().hiddenSize();
        GraphBuilder g = new GraphBuilder("moe_layer");
        OnnxOps ops = new OnnxOps(g);
        Object[] dims =
                inputRank == 2
                        ? new Object[] {"tokens", hidden}
                        : new Object[] {"batch", "sequence", hidden};
        String x = g.input("x", OnnxDataType.FLOAT, dims);
        String flat = inputRank == 2 ? x : ops.reshape(x, -1, hidden);
        String group = ops.gather(ops.shape(x), g.ints(inputRank == 2 ? 0 : 1), 0);
        String y = emit(ops, layer, flat, group, dispatch, "");
        if (inputRank == 3) {
            y = ops.reshapeTo(y, ops.shape(x));
        }
        g.output(y, "y", OnnxDataType.FLOAT, dims);
        g.metadata("moezoo.layer", layer.getSpec().toJsonObject().toString());
        g.metadata("moezoo.dispatch", dispatch.name());
        return g.build();
    }

    /**
     * Adds a layer to a graph under construction.
     *
     * @param ops the graph
     * @param layer the layer (initialized or loaded)
     * @param x the float32 input rows {@code [T, H]}
     * @param groupTokens int64 {@code [1]}: tokens per routing group (the sequence length; T for
     *     one group), used by capacity routers
     * @param dispatch how the routed experts run
     * @param prefix the initializer name prefix (e.g. {@code "layers.1.moe."})
     * @return the output rows {@code [T, H]}
     * @throws UnsupportedExportException if the router or expert form has no ONNX form here
     */
    public static String emit(
            OnnxOps ops,
            MoeLayer layer,
            String x,
            String groupTokens,
            DispatchMode dispatch,
            String prefix) {
        ExpertExport experts = ExpertExport.of(layer.getExperts(), prefix);
        Routing routing = RouterExport.export(ops, layer.getRouter(), x, groupTokens, prefix);
        int e = layer.getSpec().experts().numExperts();
        long[] range = new long[e];
        for (int i = 0; i < e; i++) {
            range[i] = i;
        }
        String ids = ops.constant(OnnxTensor.vector(prefix + "expert_ids", range));
        // [T,k,1] == [E] -> [T,k,E]; null-expert choices (index >= E) match no column.
        String hit = ops.equal(ops.unsqueeze(routing.indices(), -1), ids);
        String hitF = ops.cast(hit, OnnxDataType.FLOAT);
        String combine =
                ops.reduceSum(ops.mul(hitF, ops.unsqueeze(routing.weights(), -1)), false, 1);
        String y =
                dispatch == DispatchMode.DENSE
                        ? dense(ops, experts, x, combine)
                        : sparse(ops, experts, x, combine, ops.reduceMax(hitF, false, 1), e);
        if (layer.getSharedExpert() != null) {
            y =
                    ops.add(
                            y,
                            ExpertExport.sharedExpert(
                                    ops, layer.getSharedExpert(), x, prefix + "shared_expert."));
        }
        if (layer.getOutputBias() != null) {
            ParameterData b = ParameterData.of(layer.getOutputBias());
            y = ops.add(y, ops.constant(b.tensor(prefix + "bias")));
        }
        return y;
    }

    private static String dense(OnnxOps ops, ExpertExport experts, String x, String combine) {
        String all = experts.allExperts(ops, x); // [E, T, H]
        String w = ops.unsqueeze(ops.transpose(combine, 1, 0), -1); // [E, T, 1]
        return ops.reduceSum(ops.mul(all, w), false, 0);
    }

    private static String sparse(
            OnnxOps ops,
            ExpertExport experts,
            String x,
            String combine,
            String routed,
            int numExperts) {
        List<String> rows = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int e = 0; e < numExperts; e++) {
            String col = ops.scalarInt(e);
            String mine = ops.nonZero1d(ops.gather(routed, col, 1)); // [n]
            String xe = ops.gather(x, mine, 0); // [n, H]
            String ye = experts.perExpert(ops, e, xe);
            String we = ops.unsqueeze(ops.gather(ops.gather(combine, col, 1), mine, 0), -1);
            rows.add(mine);
            outputs.add(ops.mul(ye, we));
        }
        String allRows = ops.unsqueeze(ops.concat(0, rows), -1); // [N, 1]
        String allOut = ops.concat(0, outputs); // [N, H]
        return ops.scatterAdd(ops.zeros(ops.shape(x)), allRows, allOut);
    }
}
