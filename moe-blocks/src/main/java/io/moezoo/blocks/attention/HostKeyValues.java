package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * One attention layer's cached keys and values in host memory, for the single-token decode path.
 * Per kv head, the keys are stored transposed (one array over positions per key dimension) and the
 * values one array per position; both grow by doubling, so that appending a position costs O(d)
 * rather than a copy of the cache.
 *
 * <p>The layout makes attention a sequence of {@code y[i] += a · x[i]} loops over whole arrays,
 * which the JIT compiles to vector instructions: the scores \(q \cdot k_t\) of all positions are d
 * such loops over t, and the context \(\sum_t p_t v_t\) is one per position. (A dot product per
 * position is a floating-point reduction, which it does not vectorize.)
 *
 * <p>{@link KvCache} converts a layer between this form and its {@code [1, heads, L, d]} arrays
 * when a step of the other kind comes (for example a prefill after single-token steps).
 */
final class HostKeyValues {

    private final int heads;
    private final int keyDim;
    private final int valueDim;
    private float[][][] keys; // [head][key dimension][position]
    private float[][][] values; // [head][position][value dimension]
    private int capacity;
    private int length;

    /**
     * Creates an empty store.
     *
     * @param heads the kv heads
     * @param keyDim the key dimension per head
     * @param valueDim the value dimension per head
     */
    HostKeyValues(int heads, int keyDim, int valueDim) {
        this.heads = heads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        capacity = 16;
        keys = new float[heads][keyDim][capacity];
        values = new float[heads][capacity][];
    }

    /**
     * Copies a layer's cached arrays.
     *
     * @param k keys {@code [1, heads, L, keyDim]}
     * @param v values {@code [1, heads, L, valueDim]}
     * @return the store
     * @throws IllegalArgumentException for a batch other than 1
     */
    static HostKeyValues of(NDArray k, NDArray v) {
        Shape ks = k.getShape();
        Shape vs = v.getShape();
        if (ks.dimension() != 4 || ks.get(0) != 1 || vs.get(0) != 1 || vs.get(2) != ks.get(2)) {
            throw new IllegalArgumentException(
                    "Host keys and values need batch 1, got keys " + ks + ", values " + vs);
        }
        int heads = Math.toIntExact(ks.get(1));
        int length = Math.toIntExact(ks.get(2));
        HostKeyValues store =
                new HostKeyValues(heads, Math.toIntExact(ks.get(3)), Math.toIntExact(vs.get(3)));
        store.reserve(length);
        float[] kData = k.toType(DataType.FLOAT32, false).toFloatArray();
        float[] vData = v.toType(DataType.FLOAT32, false).toFloatArray();
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < length; t++) {
                int key = (h * length + t) * store.keyDim;
                for (int d = 0; d < store.keyDim; d++) {
                    store.keys[h][d][t] = kData[key + d];
                }
                int value = (h * length + t) * store.valueDim;
                store.values[h][t] = Arrays.copyOfRange(vData, value, value + store.valueDim);
            }
        }
        store.length = length;
        return store;
    }

    /**
     * Whether this store has the given layout.
     *
     * @param kvHeads the kv heads
     * @param kDim the key dimension
     * @param vDim the value dimension
     * @return whether they match
     */
    boolean hasLayout(int kvHeads, int kDim, int vDim) {
        return heads == kvHeads && keyDim == kDim && valueDim == vDim;
    }

    /**
     * Returns the cached positions.
     *
     * @return L
     */
    int length() {
        return length;
    }

    /**
     * Appends one position.
     *
     * @param k the keys of every head, {@code heads · keyDim} values
     * @param v the values of every head, {@code heads · valueDim} values
     */
    void append(float[] k, float[] v) {
        if (k.length != heads * keyDim || v.length != heads * valueDim) {
            throw new IllegalArgumentException(
                    "Expected "
                            + heads * keyDim
                            + " key and "
                            + heads * valueDim
                            + " value entries, got "
                            + k.length
                            + " and "
                            + v.length);
        }
        reserve(length + 1);
        for (int h = 0; h < heads; h++) {
            for (int d = 0; d < keyDim; d++) {
                keys[h][d][length] = k[h * keyDim + d];
            }
            values[h][length] = Arrays.copyOfRange(v, h * valueDim, (h + 1) * valueDim);
        }
        length++;
    }

    private void reserve(int positions) {
        if (capacity >= positions) {
            return;
        }
        capacity = Math.max(positions, 2 * capacity);
        for (int h = 0; h < heads; h++) {
            for (int d = 0; d < keyDim; d++) {
                keys[h][d] = Arrays.copyOf(keys[h][d], capacity);
            }
            values[h] = Arrays.copyOf(values[h], capacity);
        }
    }

    /**
     * Creates the {@code [1, heads, L, d]} key and value arrays.
     *
     * @param manager their manager
     * @return {@code (keys, values)}
     */
    NDList toArrays(NDManager manager) {
        float[] k = new float[heads * length * keyDim];
        float[] v = new float[heads * length * valueDim];
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < length; t++) {
                for (int d = 0; d < keyDim; d++) {
                    k[(h * length + t) * keyDim + d] = keys[h][d][t];
                }
                System.arraycopy(values[h][t], 0, v, (h * length + t) * valueDim, valueDim);
            }
        }
        return new NDList(
                manager.create(k, new Shape(1, heads, length, keyDim)),
                manager.create(v, new Shape(1, heads, length, valueDim)));
    }

    /**
     * Attends from the newest position over the cache: for query head h (kv head h·heads /
     * queryHeads), \(c_h = \sum_t \mathrm{softmax}_t(s\,q_h \cdot k_t)\,v_t\) over the visible
     * positions t (all, or the last {@code window}). The same float32 numbers as {@link
     * AttentionBlock}'s single-query path, up to summation order.
     *
     * @param queries {@code queryHeads · keyDim} values
     * @param queryHeads the query heads, a multiple of the kv heads
     * @param scale s
     * @param window the sliding window, 0 for none
     * @return the context, {@code queryHeads · valueDim} values
     */
    float[] attend(float[] queries, int queryHeads, float scale, int window) {
        int groups = queryHeads / heads;
        int first = window > 0 ? Math.max(0, length - window) : 0;
        float[] scores = new float[length];
        float[] head = new float[valueDim];
        float[] context = new float[queryHeads * valueDim];
        for (int h = 0; h < queryHeads; h++) {
            float[][] k = keys[h / groups];
            float[][] v = values[h / groups];
            Arrays.fill(scores, 0f);
            for (int d = 0; d < keyDim; d++) {
                addScaled(scores, queries[h * keyDim + d], k[d], first, length);
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int t = first; t < length; t++) {
                scores[t] *= scale;
                max = Math.max(max, scores[t]);
            }
            float sum = 0;
            for (int t = first; t < length; t++) {
                scores[t] = (float) Math.exp(scores[t] - max);
                sum += scores[t];
            }
            Arrays.fill(head, 0f);
            for (int t = first; t < length; t++) {
                addScaled(head, scores[t] / sum, v[t], 0, valueDim);
            }
            System.arraycopy(head, 0, context, h * valueDim, valueDim);
        }
        return context;
    }

    /** {@code y[i] += a · x[i]} for i in [from, to). */
    private static void addScaled(float[] y, float a, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] += a * x[i];
        }
    }
}
