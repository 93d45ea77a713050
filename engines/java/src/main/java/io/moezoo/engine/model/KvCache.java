package io.moezoo.engine.model;

import java.util.Arrays;

/**
 * The keys and values of one sequence, per layer: position p of layer l holds {@code keyWidth(l)}
 * key and {@code valueWidth(l)} value floats. Storage grows by doubling up to the model's context;
 * {@link #advance} moves the length once every layer has appended the same new positions.
 */
public final class KvCache {

    private final int[] keyWidth;
    private final int[] valueWidth;
    private final float[][] keys;
    private final float[][] values;
    private final int maxPositions;
    private int capacity;
    private int length;

    /**
     * Creates an empty cache.
     *
     * @param keyWidth per layer, the floats of one position's keys (all heads)
     * @param valueWidth per layer, the floats of one position's values
     * @param maxPositions the most positions it may hold
     */
    public KvCache(int[] keyWidth, int[] valueWidth, int maxPositions) {
        this.keyWidth = keyWidth.clone();
        this.valueWidth = valueWidth.clone();
        this.maxPositions = maxPositions;
        keys = new float[keyWidth.length][];
        values = new float[keyWidth.length][];
        capacity = 0;
        for (int l = 0; l < keyWidth.length; l++) {
            keys[l] = new float[0];
            values[l] = new float[0];
        }
    }

    /**
     * Returns the positions held.
     *
     * @return the length
     */
    public int length() {
        return length;
    }

    /**
     * Returns the most positions the cache may hold.
     *
     * @return the context
     */
    public int maxPositions() {
        return maxPositions;
    }

    /**
     * Returns the floats allocated, over all layers (keys and values).
     *
     * @return the allocated floats
     */
    public long allocatedFloats() {
        long total = 0;
        for (int l = 0; l < keys.length; l++) {
            total += keys[l].length + values[l].length;
        }
        return total;
    }

    /**
     * Makes room for {@code n} more positions.
     *
     * @param n new positions
     * @throws IllegalArgumentException if the context would overflow
     */
    void reserve(int n) {
        if ((long) length + n > maxPositions) {
            throw new IllegalArgumentException(
                    "The sequence would reach "
                            + ((long) length + n)
                            + " positions, beyond the model's context of "
                            + maxPositions);
        }
        if (length + n <= capacity) {
            return;
        }
        int grown = (int) Math.min(maxPositions, Math.max(length + n, Math.max(16, 2L * capacity)));
        for (int l = 0; l < keys.length; l++) {
            keys[l] = Arrays.copyOf(keys[l], grown * keyWidth[l]);
            values[l] = Arrays.copyOf(values[l], grown * valueWidth[l]);
        }
        capacity = grown;
    }

    /** The key array of a layer (position p at {@code p * keyWidth}). */
    float[] keys(int layer) {
        return keys[layer];
    }

    /** The value array of a layer. */
    float[] values(int layer) {
        return values[layer];
    }

    /**
     * Counts {@code n} new positions, written by every layer.
     *
     * @param n the positions
     */
    void advance(int n) {
        length += n;
    }

    /**
     * Returns a copy of one layer's keys or values for the first {@code positions} positions.
     *
     * @param layer the layer
     * @param ofValues false for keys, true for values
     * @return {@code positions × width} floats
     */
    public float[] export(int layer, boolean ofValues) {
        float[] source = ofValues ? values[layer] : keys[layer];
        int width = ofValues ? valueWidth[layer] : keyWidth[layer];
        return Arrays.copyOf(source, length * width);
    }

    /**
     * Appends given positions to every layer (a cache handed over from elsewhere).
     *
     * @param layerKeys per layer, {@code n × keyWidth} floats
     * @param layerValues per layer, {@code n × valueWidth} floats
     * @param n the positions
     */
    public void importPositions(float[][] layerKeys, float[][] layerValues, int n) {
        reserve(n);
        for (int l = 0; l < keys.length; l++) {
            if (layerKeys[l].length != n * keyWidth[l]
                    || layerValues[l].length != n * valueWidth[l]) {
                throw new IllegalArgumentException(
                        "Layer " + l + ": " + n + " positions do not match the cache's widths");
            }
            System.arraycopy(layerKeys[l], 0, keys[l], length * keyWidth[l], layerKeys[l].length);
            System.arraycopy(
                    layerValues[l], 0, values[l], length * valueWidth[l], layerValues[l].length);
        }
        advance(n);
    }
}
