package io.moezoo.engine.model;

import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.WeightMatrix;
import io.moezoo.models.language.DecoderSpec;
import java.util.List;

/**
 * An MoE decoder-only language model on the engine: token embedding, L {@link DecoderLayer}s, a
 * final RMSNorm and the LM head, with every weight read in place from its {@link TensorSource}.
 *
 * <pre>
 *   ids ─▶ embedding rows ─▶ L × layer (attention over the KvCache, MoE or dense FFN)
 *       ─▶ RMSNorm ─▶ LM head ─▶ logits (every position, or only the last)
 * </pre>
 *
 * A model is immutable and shared by every sequence; each sequence has its own {@link KvCache}
 * ({@link #newCache}), so concurrent sequences need no locking.
 */
public final class CausalLm {

    private final DecoderSpec spec;
    private final WeightMatrix embedding;
    private final List<DecoderLayer> layers;
    private final float[] norm;
    private final WeightMatrix head;
    private final TensorSource source;

    CausalLm(
            DecoderSpec spec,
            WeightMatrix embedding,
            List<DecoderLayer> layers,
            float[] norm,
            WeightMatrix head,
            TensorSource source) {
        this.spec = spec;
        this.embedding = embedding;
        this.layers = List.copyOf(layers);
        this.norm = norm;
        this.head = head;
        this.source = source;
    }

    /**
     * Builds the model over a checkpoint's weights (nothing is copied).
     *
     * @param source the checkpoint
     * @return the model
     * @throws java.io.IOException if a weight cannot be mapped
     * @throws io.moezoo.formats.MalformedCheckpointException if a weight is missing or has the
     *     wrong shape, or the architecture is not one the engine runs
     */
    public static CausalLm load(TensorSource source)
            throws java.io.IOException, io.moezoo.formats.MalformedCheckpointException {
        return ModelWeights.build(source);
    }

    /**
     * Returns the spec.
     *
     * @return the decoder spec
     */
    public DecoderSpec spec() {
        return spec;
    }

    /**
     * Returns the checkpoint the weights are read from.
     *
     * @return the source
     */
    public TensorSource source() {
        return source;
    }

    /**
     * Returns the weight bytes a decode step reads: every layer's attention, router, k experts of
     * average size (and shared expert or dense FFN), the norms, one embedding row and the LM head.
     * Divided into a read bandwidth it bounds the decode speed.
     *
     * @return the bytes
     */
    public long bytesPerToken() {
        long bytes = embedding.byteSize() / embedding.rows() + head.byteSize() + 4L * norm.length;
        for (DecoderLayer layer : layers) {
            bytes += layer.bytesPerToken();
        }
        return bytes;
    }

    /**
     * Creates an empty cache for one sequence, sized as the sequence grows.
     *
     * @return the cache
     */
    public KvCache newCache() {
        int[] keys = new int[layers.size()];
        int[] values = new int[layers.size()];
        for (int l = 0; l < keys.length; l++) {
            keys[l] = layers.get(l).attention().keyWidth();
            values[l] = layers.get(l).attention().valueWidth();
        }
        return new KvCache(keys, values, spec.maxPositionEmbeddings());
    }

    /**
     * Runs new tokens of a sequence: their keys and values join the cache, and the logits of every
     * new position (or of the last) come back.
     *
     * @param ids the token ids
     * @param cache the sequence's cache
     * @param lastOnly whether only the last position's logits are wanted (generation)
     * @return {@code n × V} logits, or V when lastOnly
     * @throws IllegalArgumentException if an id is outside the vocabulary or the context would
     *     overflow
     */
    public float[] forward(long[] ids, KvCache cache, boolean lastOnly) {
        int n = ids.length;
        int h = spec.hiddenSize();
        if (n == 0) {
            throw new IllegalArgumentException("No token ids to run");
        }
        for (long id : ids) {
            if (id < 0 || id >= spec.vocabSize()) {
                throw new IllegalArgumentException(
                        "Token id "
                                + id
                                + " is outside the vocabulary [0, "
                                + spec.vocabSize()
                                + ")");
            }
        }
        cache.reserve(n);
        float[] x = new float[n * h];
        for (int t = 0; t < n; t++) {
            embedding.decodeRow((int) ids[t], x, t * h);
        }
        float embeddingScale = spec.multipliers().embedding();
        if (embeddingScale != 1f) {
            for (int i = 0; i < x.length; i++) {
                x[i] *= embeddingScale;
            }
        }
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(x, n, cache, l);
        }
        cache.advance(n);
        int from = lastOnly ? n - 1 : 0;
        int rows = n - from;
        float[] last = new float[rows * h];
        System.arraycopy(x, from * h, last, 0, rows * h);
        Vectors.rmsNorm(last, 0, last.length, norm, spec.rmsNormEps());
        float[] logits = new float[rows * spec.vocabSize()];
        MatrixOps.run(new Product(head, last, 0, logits, 0, rows));
        float divisor = spec.multipliers().logitsScaling();
        if (divisor != 1f) {
            for (int i = 0; i < logits.length; i++) {
                logits[i] /= divisor;
            }
        }
        return logits;
    }
}
