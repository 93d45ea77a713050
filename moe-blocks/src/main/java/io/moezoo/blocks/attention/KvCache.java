package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of past positions for every attention layer, owned by the cache's own manager so
 * that they outlive each decoding step. Close the cache to free them.
 *
 * <p>A layer is held as arrays {@code [B, kvHeads, L, headDim]}. Arrays that {@link #append}
 * returns belong to the cache and stay valid until the layer next changes.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private long length;

    /**
     * Creates an empty cache.
     *
     * @param parent the manager the cache's arrays descend from
     * @param layers the number of attention layers
     */
    public KvCache(NDManager parent, int layers) {
        manager = parent.newSubManager();
        keys = new NDArray[layers];
        values = new NDArray[layers];
    }

    /**
     * Creates a cache holding given past keys and values.
     *
     * @param parent the manager the cache's arrays descend from
     * @param layers the number of attention layers
     * @param past {@code k_0, v_0, k_1, v_1, …} for every layer (copied), or empty
     * @throws IllegalArgumentException if past does not hold one key and value per layer
     */
    public KvCache(NDManager parent, int layers, NDList past) {
        this(parent, layers);
        if (past.isEmpty()) {
            return;
        }
        if (past.size() != 2 * layers) {
            throw new IllegalArgumentException(
                    "Expected " + 2 * layers + " past key/value arrays, got " + past.size());
        }
        for (int l = 0; l < layers; l++) {
            keys[l] = past.get(2 * l).duplicate();
            values[l] = past.get(2 * l + 1).duplicate();
            keys[l].attach(manager);
            values[l].attach(manager);
        }
        length = keys[0].getShape().get(2);
    }

    /**
     * Returns copies of the cached keys and values, {@code k_0, v_0, k_1, v_1, …}, owned by a
     * manager.
     *
     * @param owner the manager of the copies
     * @return the arrays
     */
    public NDList export(NDManager owner) {
        NDList out = new NDList();
        for (int l = 0; l < keys.length; l++) {
            NDArray k = keys[l].duplicate();
            NDArray v = values[l].duplicate();
            k.attach(owner);
            v.attach(owner);
            out.add(k);
            out.add(v);
        }
        return out;
    }

    /**
     * Returns the number of cached positions (after the last completed step).
     *
     * @return L
     */
    public long length() {
        return length;
    }

    /**
     * Appends a layer's new keys and values and returns all of them.
     *
     * @param layer the layer index
     * @param k the new keys {@code [B, kvHeads, S, D]}
     * @param v the new values
     * @return {@code (allKeys, allValues)} for this layer
     */
    public NDList append(int layer, NDArray k, NDArray v) {
        NDArray allK =
                keys[layer] == null
                        ? k.duplicate()
                        : NDArrays.concat(new NDList(keys[layer], k), 2);
        NDArray allV =
                values[layer] == null
                        ? v.duplicate()
                        : NDArrays.concat(new NDList(values[layer], v), 2);
        allK.attach(manager);
        allV.attach(manager);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = allK;
        values[layer] = allV;
        return new NDList(allK, allV);
    }

    /**
     * Marks a step complete: the cache now covers {@code length + steps} positions.
     *
     * @param steps the positions added by the step
     */
    public void advance(long steps) {
        length += steps;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        manager.close();
    }
}
