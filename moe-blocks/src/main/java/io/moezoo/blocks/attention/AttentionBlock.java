package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.Scalars;

/**
 * A causal self-attention layer of a decoder: {@code [B, S, H] -> [B, S, H]}, continuing a {@link
 * KvCache} when one is given. As a {@link TokenMixer} it reads the cache and layer index from the
 * {@link AttentionContext}; the causal mask is its own, so it takes no key mask.
 */
public abstract class AttentionBlock extends AbstractBlock implements TokenMixer {

    /**
     * Creates the block.
     *
     * @param version the parameter-file version of the subclass
     */
    protected AttentionBlock(byte version) {
        super(version);
    }

    /**
     * Attends over x and the cached past.
     *
     * @param ps the parameter store
     * @param x {@code [B, S, H]}
     * @param cache the KV cache, or null for a full pass without cache
     * @param layer this layer's index in the cache
     * @param training whether this is a training pass
     * @return {@code [B, S, H]}
     */
    public abstract NDArray apply(
            ParameterStore ps, NDArray x, KvCache cache, int layer, boolean training);

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the context carries a key mask (causal attention masks by
     *     position only)
     */
    @Override
    public NDArray mix(ParameterStore ps, NDArray x, AttentionContext context, boolean training) {
        if (context.mask() != null) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName()
                            + " is causal and takes no key mask; pass a context without one");
        }
        return apply(ps, x, context.cache(), context.layer(), training);
    }

    /**
     * Scaled dot-product attention with the causal mask, scores and softmax in float32:
     * \(\mathrm{softmax}(s\,QK^T + M)\,V\).
     *
     * @param queries {@code [B, heads, S, d]}
     * @param keys {@code [B, heads, L, d]} (the past and the S new positions)
     * @param values {@code [B, heads, L, d_v]}
     * @param scale s
     * @param offset the absolute position of the first query
     * @param window the sliding window, 0 for none
     * @return the context {@code [B, S, heads, d_v]}
     */
    protected static NDArray attend(
            NDArray queries, NDArray keys, NDArray values, float scale, long offset, int window) {
        return attend(queries, keys, values, scale, offset, window, null);
    }

    /**
     * Scaled dot-product attention with the causal mask and optional attention sinks: each head's
     * sink logit σ_h joins the softmax of every row as an extra column that is dropped afterwards,
     * so the kept probabilities sum to less than one (gpt-oss).
     *
     * @param queries {@code [B, heads, S, d]}
     * @param keys {@code [B, heads, L, d]} (the past and the S new positions)
     * @param values {@code [B, heads, L, d_v]}
     * @param scale s
     * @param offset the absolute position of the first query
     * @param window the sliding window, 0 for none
     * @param sinks the sink logits {@code [heads]}, or null for none
     * @return the context {@code [B, S, heads, d_v]}
     */
    protected static NDArray attend(
            NDArray queries,
            NDArray keys,
            NDArray values,
            float scale,
            long offset,
            int window,
            NDArray sinks) {
        int length = Math.toIntExact(queries.getShape().get(2));
        long total = keys.getShape().get(2);
        if (length == 1) {
            return attendOne(queries, keys, values, scale, offset, window, sinks);
        }
        NDArray scores =
                queries.toType(DataType.FLOAT32, false)
                        .matMul(keys.toType(DataType.FLOAT32, false).transpose(0, 1, 3, 2))
                        .mul(Scalars.of(scale, queries))
                        .add(causalMask(queries.getManager(), offset, length, total, window));
        return softmax(scores, sinks)
                .toType(values.getDataType(), false)
                .matMul(values)
                .transpose(0, 2, 1, 3);
    }

    /**
     * One query per head (a decode step): scores {@code Σ_d q·k} and context {@code Σ_t p·v} as
     * broadcast products and sums. The same numbers as the matrix-product path, without a batched
     * product of single rows, which BLAS libraries serve through a slow generic path on some CPUs.
     */
    private static NDArray attendOne(
            NDArray queries,
            NDArray keys,
            NDArray values,
            float scale,
            long offset,
            int window,
            NDArray sinks) {
        long total = keys.getShape().get(2);
        NDArray scores =
                keys.toType(DataType.FLOAT32, false)
                        .mul(queries.toType(DataType.FLOAT32, false))
                        .sum(new int[] {3})
                        .mul(Scalars.of(scale, queries));
        boolean allVisible = offset >= total - 1 && (window == 0 || window >= total);
        if (!allVisible) {
            scores = scores.add(causalMask(queries.getManager(), offset, 1, total, window));
        }
        NDArray weights = softmax(scores, sinks).toType(values.getDataType(), false).expandDims(3);
        return values.mul(weights).sum(new int[] {2}, true).transpose(0, 2, 1, 3);
    }

    /**
     * The softmax over the last axis, with each head's sink logit as an extra column that is
     * dropped after normalisation when sinks are given.
     *
     * @param scores float32 scores {@code [B, heads, ..., L]}
     * @param sinks the sink logits {@code [heads]}, or null
     * @return the probabilities {@code [B, heads, ..., L]}
     */
    private static NDArray softmax(NDArray scores, NDArray sinks) {
        if (sinks == null) {
            return scores.softmax(-1);
        }
        Shape shape = scores.getShape();
        int rank = shape.dimension();
        long[] perHead = new long[rank];
        java.util.Arrays.fill(perHead, 1);
        perHead[1] = shape.get(1);
        long[] column = shape.getShape().clone();
        column[rank - 1] = 1;
        NDArray sinkColumn =
                sinks.toType(DataType.FLOAT32, false).reshape(perHead).broadcast(new Shape(column));
        long total = shape.get(rank - 1);
        return NDArrays.concat(new NDList(scores, sinkColumn), rank - 1)
                .softmax(-1)
                .split(new long[] {total}, rank - 1)
                .get(0);
    }

    /**
     * Builds the additive causal mask {@code [S, L]}: 0 where query i (absolute position offset +
     * i) may see key j, that is j ≤ offset + i and, with a sliding window w, j &gt; offset + i - w;
     * -inf elsewhere.
     *
     * @param manager the manager of the mask
     * @param offset the absolute position of the first query
     * @param length S, the number of queries
     * @param total L, the number of keys
     * @param window the sliding window, 0 for none
     * @return the mask
     */
    private static NDArray causalMask(
            NDManager manager, long offset, int length, long total, int window) {
        float[] m = new float[Math.toIntExact(length * total)];
        for (int i = 0; i < length; i++) {
            long position = offset + i;
            for (int j = 0; j < total; j++) {
                boolean visible = j <= position && (window == 0 || j > position - window);
                m[(int) (i * total + j)] = visible ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(m, new Shape(length, total));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), null, 0, training));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
