package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * One attention layer's cached keys and values in host memory, for the single-token decode path:
 * per kv head a row-major {@code [L, d]} array that grows by doubling, so that appending a position
 * costs O(d) rather than a copy of the cache.
 *
 * <p>{@link KvCache} converts a layer between this form and its {@code [1, heads, L, d]} arrays
 * when a step of the other kind comes (for example a prefill after single-token steps).
 */
final class HostKeyValues {

    private final int heads;
    private final int keyDim;
    private final int valueDim;
    private float[][] keys;
    private float[][] values;
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
        keys = new float[heads][16 * keyDim];
        values = new float[heads][16 * valueDim];
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
            System.arraycopy(
                    kData, h * length * store.keyDim, store.keys[h], 0, length * store.keyDim);
            System.arraycopy(
                    vData,
                    h * length * store.valueDim,
                    store.values[h],
                    0,
                    length * store.valueDim);
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
            System.arraycopy(k, h * keyDim, keys[h], length * keyDim, keyDim);
            System.arraycopy(v, h * valueDim, values[h], length * valueDim, valueDim);
        }
        length++;
    }

    private void reserve(int positions) {
        if (keys[0].length >= positions * keyDim) {
            return;
        }
        int capacity = Math.max(positions, 2 * keys[0].length / keyDim);
        for (int h = 0; h < heads; h++) {
            keys[h] = Arrays.copyOf(keys[h], capacity * keyDim);
            values[h] = Arrays.copyOf(values[h], capacity * valueDim);
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
            System.arraycopy(keys[h], 0, k, h * length * keyDim, length * keyDim);
            System.arraycopy(values[h], 0, v, h * length * valueDim, length * valueDim);
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
        float[] context = new float[queryHeads * valueDim];
        for (int h = 0; h < queryHeads; h++) {
            float[] k = keys[h / groups];
            float[] v = values[h / groups];
            int q = h * keyDim;
            float max = Float.NEGATIVE_INFINITY;
            for (int t = first; t < length; t++) {
                scores[t] = dot(queries, q, k, t * keyDim, keyDim) * scale;
                max = Math.max(max, scores[t]);
            }
            float sum = 0;
            for (int t = first; t < length; t++) {
                scores[t] = (float) Math.exp(scores[t] - max);
                sum += scores[t];
            }
            int c = h * valueDim;
            for (int t = first; t < length; t++) {
                float p = scores[t] / sum;
                int row = t * valueDim;
                for (int d = 0; d < valueDim; d++) {
                    context[c + d] += p * v[row + d];
                }
            }
        }
        return context;
    }

    private static float dot(float[] a, int aFrom, float[] b, int bFrom, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[aFrom + i] * b[bFrom + i];
            s1 += a[aFrom + i + 1] * b[bFrom + i + 1];
            s2 += a[aFrom + i + 2] * b[bFrom + i + 2];
            s3 += a[aFrom + i + 3] * b[bFrom + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[aFrom + i] * b[bFrom + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
