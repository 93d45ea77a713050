package io.moezoo.engine.model;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.RotaryEmbedding;
import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.WeightMatrix;
import java.util.List;

/**
 * Grouped-query attention with RoPE (Llama / Mixtral / Qwen2-MoE / Qwen3-MoE / OLMoE / gpt-oss): q,
 * k and v projections (optional biases), optional q/k RMSNorm over the whole projection (OLMoE) or
 * per head (Qwen3), RoPE at each token's position (standard, linear or YaRN, as {@link
 * AttentionSpec#rope()} builds it for the reference path), causal (optionally windowed) attention
 * with optional per-head sink logits (gpt-oss) and the output projection (optionally with a bias,
 * gpt-oss). The window is this layer's: the spec given is the layer's own ({@code
 * DecoderSpec.attention(i)}). The cache keeps every position, also for windowed layers.
 */
final class GqaAttention implements Attention {

    private final AttentionSpec spec;
    private final RotaryEmbedding rope;
    private final WeightMatrix q;
    private final WeightMatrix k;
    private final WeightMatrix v;
    private final WeightMatrix o;
    private final float[] qBias;
    private final float[] kBias;
    private final float[] vBias;
    private final float[] qNorm;
    private final float[] kNorm;
    private final float[] oBias;
    private final float[] sinks;

    /**
     * Creates the layer.
     *
     * @param spec the layer's attention spec (its window included)
     * @param q the query projection
     * @param k the key projection
     * @param v the value projection
     * @param o the output projection
     * @param biases the q, k and v biases, or null
     * @param qNorm the query norm weight, or null
     * @param kNorm the key norm weight, or null
     * @param oBias the output projection's bias, or null
     * @param sinks per query head, the sink logit, or null
     */
    GqaAttention(
            AttentionSpec spec,
            WeightMatrix q,
            WeightMatrix k,
            WeightMatrix v,
            WeightMatrix o,
            float[][] biases,
            float[] qNorm,
            float[] kNorm,
            float[] oBias,
            float[] sinks) {
        this.spec = spec;
        this.rope = spec.rope();
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
        this.qBias = biases == null ? null : biases[0];
        this.kBias = biases == null ? null : biases[1];
        this.vBias = biases == null ? null : biases[2];
        this.qNorm = qNorm;
        this.kNorm = kNorm;
        this.oBias = oBias;
        this.sinks = sinks;
    }

    @Override
    public int keyWidth() {
        return spec.numKvHeads() * spec.headDim();
    }

    @Override
    public int valueWidth() {
        return keyWidth();
    }

    @Override
    public long bytesPerToken() {
        return q.byteSize() + k.byteSize() + v.byteSize() + o.byteSize();
    }

    @Override
    public float[] forward(float[] x, int n, KvCache cache, int layer) {
        int d = spec.headDim();
        int qWidth = spec.numHeads() * d;
        int kvWidth = keyWidth();
        float[] queries = new float[n * qWidth];
        float[] keys = new float[n * kvWidth];
        float[] values = new float[n * kvWidth];
        MatrixOps.run(
                List.of(
                        new Product(q, x, 0, queries, 0, n),
                        new Product(k, x, 0, keys, 0, n),
                        new Product(v, x, 0, values, 0, n)));
        Vectors.addBias(queries, qBias, n);
        Vectors.addBias(keys, kBias, n);
        Vectors.addBias(values, vBias, n);
        if (qNorm != null) {
            Vectors.rmsNorm(queries, 0, queries.length, qNorm, spec.rmsNormEps());
            Vectors.rmsNorm(keys, 0, keys.length, kNorm, spec.rmsNormEps());
        }
        int past = cache.length();
        float[] cachedKeys = cache.keys(layer);
        float[] cachedValues = cache.values(layer);
        for (int t = 0; t < n; t++) {
            float[] qt = rope.rotateToken(Vectors.slice(queries, t * qWidth, qWidth), past + t);
            System.arraycopy(qt, 0, queries, t * qWidth, qWidth);
            float[] kt = rope.rotateToken(Vectors.slice(keys, t * kvWidth, kvWidth), past + t);
            System.arraycopy(kt, 0, cachedKeys, (past + t) * kvWidth, kvWidth);
        }
        System.arraycopy(values, 0, cachedValues, past * kvWidth, n * kvWidth);
        float[] context =
                ScaledDotProduct.attend(
                        queries,
                        n,
                        past,
                        cachedKeys,
                        cachedValues,
                        spec.numHeads(),
                        spec.numKvHeads(),
                        d,
                        d,
                        (float) spec.scale(),
                        spec.slidingWindow(),
                        false,
                        sinks);
        float[] out = new float[n * spec.hiddenSize()];
        MatrixOps.run(new Product(o, context, 0, out, 0, n));
        Vectors.addBias(out, oBias, n);
        return out;
    }
}
