package io.moezoo.engine.tensor;

/**
 * Reads consecutive MXFP4 values of one row in place from their two stored tensors: the e2m1
 * nibbles ({@code X_blocks}: 16 bytes per block of 32, the low nibble of byte k is value 2k, the
 * high nibble value 2k + 1) and the E8M0 scale bytes ({@code X_scales}: one per block, the factor
 * 2^(s − 127)). Value = {@code FP4[nibble] · 2^(s − 127)}, exact in float32 (see {@link
 * io.moezoo.formats.Mxfp4Tensor}). An implementation holds no state, so one instance serves every
 * thread.
 */
public interface Mxfp4Codec {

    /**
     * Returns \(\sum_{i &lt; count} w_i x_{xOffset + i}\), accumulated in float32.
     *
     * @param blocks the nibbles
     * @param offset the byte position of the first block's nibbles
     * @param scales the scale bytes
     * @param scaleOffset the byte position of the first block's scale
     * @param x the float32 values
     * @param xOffset the index of the first value in x
     * @param count the number of values, a multiple of 32
     * @return the dot product
     */
    float dot(
            StoredBytes blocks,
            int offset,
            StoredBytes scales,
            int scaleOffset,
            float[] x,
            int xOffset,
            int count);

    /**
     * Decodes values to float32.
     *
     * @param blocks the nibbles
     * @param offset the byte position of the first block's nibbles
     * @param scales the scale bytes
     * @param scaleOffset the byte position of the first block's scale
     * @param out receives the values
     * @param outOffset the index of the first value in out
     * @param count the number of values, a multiple of 32
     */
    void decode(
            StoredBytes blocks,
            int offset,
            StoredBytes scales,
            int scaleOffset,
            float[] out,
            int outOffset,
            int count);

    /**
     * Returns the dot product with x given in <em>split order</em> ({@link SplitOrder}): within
     * each block of 32, the 16 even-indexed values and then the 16 odd-indexed ones, which lines x
     * up with the low and the high nibbles of the block's bytes. A product of many rows with one x
     * splits x once and saves each row the work of pairing nibbles with values.
     *
     * <p>The default splits nothing back: it restores the natural order and calls {@link #dot}.
     *
     * @param blocks the nibbles
     * @param offset the byte position of the first block's nibbles
     * @param scales the scale bytes
     * @param scaleOffset the byte position of the first block's scale
     * @param split x in split order
     * @param splitOffset the index of the first value (a block boundary of x)
     * @param count the number of values, a multiple of 32
     * @return the dot product
     */
    default float dotSplit(
            StoredBytes blocks,
            int offset,
            StoredBytes scales,
            int scaleOffset,
            float[] split,
            int splitOffset,
            int count) {
        float[] x = SplitOrder.merge(split, splitOffset, count);
        return dot(blocks, offset, scales, scaleOffset, x, 0, count);
    }

    /**
     * Returns whether {@link #dotSplit} is faster than {@link #dot} (so that splitting x pays).
     *
     * @return true for a codec whose split form is its fast path
     */
    default boolean prefersSplit() {
        return false;
    }

    /**
     * Writes x in split order ({@link SplitOrder#split}).
     *
     * @param x the values in natural order
     * @param xOffset the first value
     * @param out receives {@code count} values from {@code outOffset}
     * @param outOffset the first index written
     * @param count the number of values, a multiple of 32
     */
    static void split(float[] x, int xOffset, float[] out, int outOffset, int count) {
        SplitOrder.split(x, xOffset, out, outOffset, count);
    }
}
