package io.moezoo.onnx.nn;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.CausalSelfAttention;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.attention.RotaryEmbedding;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.graph.OnnxTensor;
import java.util.List;

/**
 * Writes {@link CausalSelfAttention}: q/k/v projections (with biases), q/k RMS norms (full or per
 * head), RoPE from tables precomputed by the block's own {@code RotaryEmbedding} (so the angles are
 * bit-identical; partial rotary supported), an optional KV cache as explicit graph values,
 * grouped-query heads, the causal mask (with sliding window), gpt-oss attention sinks and the
 * output projection.
 */
public final class CausalAttentionExport {

    /**
     * The attention's output and its updated cache.
     *
     * @param output {@code [B, S, H]}
     * @param keys the present keys {@code [B, kvHeads, P + S, d]} (after RoPE)
     * @param values the present values {@code [B, kvHeads, P + S, d]}
     */
    public record Result(String output, String keys, String values) {}

    private final OnnxOps ops;
    private final boolean sinks;
    private final int ropeDim;
    private final String inverseFrequency;
    private final double positionScale;
    private final float attentionFactor;

    /**
     * Prepares the rotary embedding of a spec (layers with the same rotary settings can share one
     * writer).
     *
     * @param ops the graph
     * @param spec the attention spec
     * @param name the initializer name prefix
     */
    public CausalAttentionExport(OnnxOps ops, AttentionSpec spec, String name) {
        this.ops = ops;
        this.sinks = spec.sinks();
        ropeDim = spec.ropeDim();
        RotaryEmbedding rope = spec.rope();
        float[] frequencies = rope.inverseFrequencies();
        inverseFrequency =
                ops.constant(
                        OnnxTensor.floats(
                                name + ".inv_freq", new long[] {frequencies.length}, frequencies));
        // As RotaryEmbedding: YaRN keeps positions, linear scaling divides them by the factor.
        positionScale = spec.yarn() != null ? 1.0 : 1.0 / spec.ropeLinearFactor();
        attentionFactor = rope.attentionFactor();
    }

    /**
     * Adds one attention layer.
     *
     * @param attention the block
     * @param x the normalised input {@code [B, S, H]}
     * @param pastKeys the cached keys {@code [B, kvHeads, P, d]}, or null for none (P = 0)
     * @param pastValues the cached values, or null
     * @param name the initializer name prefix
     * @return the output and the present cache
     */
    public Result layer(
            CausalSelfAttention attention,
            String x,
            String pastKeys,
            String pastValues,
            String name) {
        AttentionSpec spec = attention.getSpec();
        int d = spec.headDim();
        int heads = spec.numHeads();
        int kvHeads = spec.numKvHeads();
        String q = project(attention, x, "q_proj", name);
        String k = project(attention, x, "k_proj", name);
        String v = project(attention, x, "v_proj", name);
        RmsNorm[] norms = attention.getQkNorms();
        float eps = spec.rmsNormEps();
        if (spec.qkNorm() == AttentionSpec.QkNorm.FULL) {
            q = LayerExport.rmsNorm(ops, norms[0], q, eps, name + ".q_norm");
            k = LayerExport.rmsNorm(ops, norms[1], k, eps, name + ".k_norm");
        }
        q = ops.reshape(q, 0, 0, heads, d);
        k = ops.reshape(k, 0, 0, kvHeads, d);
        if (spec.qkNorm() == AttentionSpec.QkNorm.PER_HEAD) {
            q = LayerExport.rmsNorm(ops, norms[0], q, eps, name + ".q_norm");
            k = LayerExport.rmsNorm(ops, norms[1], k, eps, name + ".k_norm");
        }
        q = ops.transpose(q, 0, 2, 1, 3);
        k = ops.transpose(k, 0, 2, 1, 3);
        v = ops.transpose(ops.reshape(v, 0, 0, kvHeads, d), 0, 2, 1, 3);
        String length = ops.gather(ops.shape(x), ops.scalarInt(1), 0); // S
        String offset =
                pastKeys == null
                        ? ops.scalarInt(0)
                        : ops.gather(ops.shape(pastKeys), ops.scalarInt(2), 0); // P
        String[] table = rope(offset, ops.add(offset, length));
        q = rotate(q, table, d);
        k = rotate(k, table, d);
        if (pastKeys != null) {
            k = ops.concat(2, List.of(pastKeys, k));
            v = ops.concat(2, List.of(pastValues, v));
        }
        String keys = repeatHeads(k, heads / kvHeads, d);
        String values = repeatHeads(v, heads / kvHeads, d);
        String scores =
                ops.scale(ops.matMul(q, ops.transpose(keys, 0, 1, 3, 2)), (float) spec.scale());
        scores =
                ops.add(
                        scores,
                        mask(
                                offset,
                                length,
                                ops.gather(ops.shape(keys), ops.scalarInt(2), 0),
                                spec.slidingWindow()));
        String probabilities =
                sinks ? softmaxWithSinks(attention, scores, heads, name) : ops.softmax(scores, -1);
        String context = ops.matMul(probabilities, values);
        String merged = ops.reshape(ops.transpose(context, 0, 2, 1, 3), 0, 0, (long) heads * d);
        return new Result(project(attention, merged, "o_proj", name), k, v);
    }

    /**
     * gpt-oss: each head's sink logit joins every row's softmax as an extra column, dropped after
     * normalisation.
     */
    private String softmaxWithSinks(
            CausalSelfAttention attention, String scores, int heads, String name) {
        String sink =
                ops.reshape(
                        ops.constant(Blocks.param(attention, "sinks").tensor(name + ".sinks")),
                        1,
                        heads,
                        1,
                        1);
        String shape = ops.shape(scores);
        String columnShape =
                ops.concat(
                        0,
                        List.of(
                                ops.graph()
                                        .op(
                                                "Slice",
                                                List.of(
                                                        shape,
                                                        ops.graph().ints(0),
                                                        ops.graph().ints(3))),
                                ops.graph().ints(1)));
        String column = ops.graph().op("Expand", List.of(sink, columnShape));
        String all = ops.softmax(ops.concat(3, List.of(scores, column)), -1);
        return ops.graph()
                .op(
                        "Slice",
                        List.of(
                                all,
                                ops.graph().ints(0),
                                ops.graph().ints(-1),
                                ops.graph().ints(3)));
    }

    private String project(CausalSelfAttention a, String x, String which, String name) {
        return LayerExport.projection(ops, a, which, which + "_bias", x, name);
    }

    /**
     * cos and sin {@code [S, ropeDim]} for positions {@code [start, end)}, computed as {@code
     * RotaryEmbedding.tables} does: float32 position (the double product cast) times float32
     * inverse frequency, each half repeated, times the attention factor.
     */
    private String[] rope(String start, String end) {
        String positions =
                ops.graph().op("Range", List.of(start, end, ops.scalarInt(1))); // [S] int64
        String scaled = ops.cast(positions, OnnxDataType.DOUBLE);
        if (positionScale != 1.0) {
            scaled =
                    ops.mul(
                            scaled,
                            ops.constant(OnnxTensor.scalarDouble("const_f64", positionScale)));
        }
        String angles =
                ops.mul(
                        ops.unsqueeze(ops.cast(scaled, OnnxDataType.FLOAT), 1),
                        inverseFrequency); // [S, dim/2]
        String[] tables = new String[2];
        String[] ops2 = {"Cos", "Sin"};
        for (int i = 0; i < 2; i++) {
            String half = ops.scale(ops.unary(ops2[i], angles), attentionFactor);
            tables[i] = ops.concat(1, List.of(half, half));
        }
        return tables;
    }

    private String rotate(String x, String[] table, int d) {
        String head = x;
        String rest = null;
        if (ropeDim < d) {
            String[] parts =
                    ops.graph()
                            .ops(
                                    "Split",
                                    2,
                                    List.of(x, ops.graph().ints(ropeDim, d - ropeDim)),
                                    io.moezoo.onnx.graph.OnnxAttribute.of("axis", 3L));
            head = parts[0];
            rest = parts[1];
        }
        String[] halves = ops.split(head, 2, 3);
        String rotated = ops.concat(3, List.of(ops.unary("Neg", halves[1]), halves[0]));
        String y = ops.add(ops.mul(head, table[0]), ops.mul(rotated, table[1]));
        return rest == null ? y : ops.concat(3, List.of(y, rest));
    }

    private String repeatHeads(String x, int groups, int d) {
        if (groups == 1) {
            return x;
        }
        // [B, kv, L, d] -> [B, kv, g, L, d] -> [B, kv·g, L, d]: head h reads kv head h / g.
        String expanded =
                ops.graph()
                        .op(
                                "Expand",
                                List.of(ops.unsqueeze(x, 2), ops.graph().ints(1, 1, groups, 1, 1)));
        String shape =
                ops.concat(
                        0,
                        List.of(
                                ops.graph()
                                        .op(
                                                "Slice",
                                                List.of(
                                                        ops.shape(x),
                                                        ops.graph().ints(0),
                                                        ops.graph().ints(1))),
                                ops.graph().ints(-1),
                                ops.graph()
                                        .op(
                                                "Slice",
                                                List.of(
                                                        ops.shape(x),
                                                        ops.graph().ints(2),
                                                        ops.graph().ints(4)))));
        return ops.reshapeTo(expanded, shape);
    }

    private String mask(String offset, String length, String total, int window) {
        String one = ops.scalarInt(1);
        String queries =
                ops.add(ops.graph().op("Range", List.of(ops.scalarInt(0), length, one)), offset);
        String keys = ops.graph().op("Range", List.of(ops.scalarInt(0), total, one));
        String q = ops.unsqueeze(queries, 1); // [S, 1]
        String k = ops.unsqueeze(keys, 0); // [1, L]
        String visible = ops.graph().op("LessOrEqual", List.of(k, q));
        if (window > 0) {
            String inWindow =
                    ops.graph().op("Greater", List.of(k, ops.sub(q, ops.scalarInt(window))));
            visible = ops.graph().op("And", List.of(visible, inWindow));
        }
        return ops.where(
                visible, ops.graph().scalar(0f), ops.graph().scalar(Float.NEGATIVE_INFINITY));
    }
}
