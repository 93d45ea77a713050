package io.moezoo.onnx.nn;

import io.moezoo.blocks.attention.BidirectionalSelfAttention;
import io.moezoo.onnx.graph.OnnxOps;

/** Writes bidirectional multi-head self-attention (ViT, encoders) without a key mask. */
public final class AttentionExport {

    private AttentionExport() {}

    /**
     * Adds {@code o(softmax(q·kᵀ/√d)·v)} over {@code [B, S, H]} with the block's projections.
     *
     * @param ops the graph
     * @param attention the block
     * @param x the input {@code [B, S, H]}
     * @param hiddenSize H
     * @param name the initializer name prefix
     * @return the output {@code [B, S, H]}
     */
    public static String bidirectional(
            OnnxOps ops,
            BidirectionalSelfAttention attention,
            String x,
            int hiddenSize,
            String name) {
        int heads = attention.getNumHeads();
        int d = hiddenSize / heads;
        String q = heads(ops, project(ops, attention, x, "q_proj", name), heads, d, 0, 2, 1, 3);
        String k = heads(ops, project(ops, attention, x, "k_proj", name), heads, d, 0, 2, 3, 1);
        String v = heads(ops, project(ops, attention, x, "v_proj", name), heads, d, 0, 2, 1, 3);
        String scores = ops.scale(ops.matMul(q, k), (float) (1 / Math.sqrt(d)));
        String context = ops.matMul(ops.softmax(scores, -1), v); // [B, nh, S, d]
        String merged = ops.reshape(ops.transpose(context, 0, 2, 1, 3), 0, 0, hiddenSize);
        return project(ops, attention, merged, "o_proj", name);
    }

    private static String project(
            OnnxOps ops, BidirectionalSelfAttention a, String x, String which, String name) {
        return LayerExport.projection(ops, a, which, which + "_bias", x, name);
    }

    private static String heads(OnnxOps ops, String x, int heads, int d, long... perm) {
        return ops.transpose(ops.reshape(x, 0, 0, heads, d), perm);
    }
}
