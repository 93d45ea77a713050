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
        float[] x = run(new long[][] {ids}, new KvCache[] {cache});
        int from = lastOnly ? n - 1 : 0;
        int[] rows = new int[n - from];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = from + r;
        }
        return logits(x, rows);
    }

    /**
     * Runs the new tokens of several sequences in one pass (every weight read once for all of
     * them): their keys and values join each sequence's cache, and the logits of each sequence's
     * last new position come back.
     *
     * @param ids each sequence's new token ids, each non-empty
     * @param caches each sequence's cache (distinct)
     * @return one row of V logits per sequence
     * @throws IllegalArgumentException if an id is outside the vocabulary, a sequence has no ids,
     *     the arrays differ in length or a context would overflow
     */
    public float[][] forwardLast(long[][] ids, KvCache[] caches) {
        if (ids.length != caches.length) {
            throw new IllegalArgumentException(
                    ids.length + " sequences of ids but " + caches.length + " caches");
        }
        for (int i = 0; i < caches.length; i++) {
            for (int j = 0; j < i; j++) {
                if (caches[i] == caches[j]) {
                    throw new IllegalArgumentException(
                            "Sequences " + j + " and " + i + " share a cache");
                }
            }
        }
        float[] x = run(ids, caches);
        int[] rows = new int[ids.length];
        int end = 0;
        for (int i = 0; i < ids.length; i++) {
            end += ids[i].length;
            rows[i] = end - 1;
        }
        float[] logits = logits(x, rows);
        int v = spec.vocabSize();
        float[][] out = new float[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(logits, i * v, (i + 1) * v);
        }
        return out;
    }

    /** Embeds the sequences' ids, runs every layer and advances the caches; returns x. */
    private float[] run(long[][] ids, KvCache[] caches) {
        int h = spec.hiddenSize();
        int[] counts = new int[ids.length];
        int total = 0;
        for (int i = 0; i < ids.length; i++) {
            counts[i] = ids[i].length;
            if (counts[i] == 0) {
                throw new IllegalArgumentException("No token ids to run");
            }
            for (long id : ids[i]) {
                if (id < 0 || id >= spec.vocabSize()) {
                    throw new IllegalArgumentException(
                            "Token id "
                                    + id
                                    + " is outside the vocabulary [0, "
                                    + spec.vocabSize()
                                    + ")");
                }
            }
            total += counts[i];
        }
        for (int i = 0; i < ids.length; i++) {
            caches[i].reserve(counts[i]);
        }
        float[] x = new float[total * h];
        int row = 0;
        for (long[] sequence : ids) {
            for (long id : sequence) {
                embedding.decodeRow((int) id, x, row++ * h);
            }
        }
        float embeddingScale = spec.multipliers().embedding();
        if (embeddingScale != 1f) {
            for (int i = 0; i < x.length; i++) {
                x[i] *= embeddingScale;
            }
        }
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(x, counts, caches, l);
        }
        for (int i = 0; i < ids.length; i++) {
            caches[i].advance(counts[i]);
        }
        return x;
    }

    /** The final norm and LM head over the chosen rows of x: {@code rows × V}. */
    private float[] logits(float[] x, int[] rows) {
        int h = spec.hiddenSize();
        float[] picked = new float[rows.length * h];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(x, rows[r] * h, picked, r * h, h);
        }
        Vectors.rmsNorm(picked, 0, picked.length, norm, spec.rmsNormEps());
        float[] logits = new float[rows.length * spec.vocabSize()];
        MatrixOps.run(new Product(head, picked, 0, logits, 0, rows.length));
        float divisor = spec.multipliers().logitsScaling();
        if (divisor != 1f) {
            for (int i = 0; i < logits.length; i++) {
                logits[i] /= divisor;
            }
        }
        return logits;
    }
}
