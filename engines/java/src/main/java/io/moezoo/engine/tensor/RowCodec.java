package io.moezoo.engine.tensor;

/**
 * Reads consecutive elements of one {@link WeightFormat} in place: their dot product with float32
 * values, or their float32 values. Buffers are little-endian; offsets are absolute byte positions.
 * An implementation holds no state, so one instance serves every thread.
 */
public interface RowCodec {

    /**
     * Returns \(\sum_{i &lt; count} w_i x_{xOffset + i}\), accumulated in float32.
     *
     * @param data the stored elements
     * @param offset the byte position of the first element (or block)
     * @param x the float32 values
     * @param xOffset the index of the first value in x
     * @param count the number of elements, a multiple of the format's block size
     * @return the dot product
     */
    float dot(StoredBytes data, int offset, float[] x, int xOffset, int count);

    /**
     * Decodes elements to float32.
     *
     * @param data the stored elements
     * @param offset the byte position of the first element (or block)
     * @param out receives the values
     * @param outOffset the index of the first value in out
     * @param count the number of elements, a multiple of the format's block size
     */
    void decode(StoredBytes data, int offset, float[] out, int outOffset, int count);

    /**
     * Returns whether {@link #dotSplit} is faster than {@link #dot} (so that splitting x once per
     * product pays).
     *
     * @return true for a codec whose split form is its fast path
     */
    default boolean prefersSplit() {
        return false;
    }

    /**
     * Returns the dot product with x given in {@link SplitOrder split order}.
     *
     * <p>The default restores the natural order and calls {@link #dot}.
     *
     * @param data the stored elements
     * @param offset the byte position of the first element
     * @param split x in split order
     * @param splitOffset the index of the first value (a block boundary of x)
     * @param count the number of elements, a multiple of 32
     * @return the dot product
     */
    default float dotSplit(
            StoredBytes data, int offset, float[] split, int splitOffset, int count) {
        return dot(data, offset, SplitOrder.merge(split, splitOffset, count), 0, count);
    }

    /**
     * Computes the row's dot product with several vectors: {@code out[outOffset + t·outStride] =
     * dot(data, offset, x, xOffset + t·count, count)} for t &lt; tokens, each value exactly as
     * {@link #dot} gives it. A codec may read the row once for all of them (its values widened
     * once, multiplied with every vector) instead of once per vector.
     *
     * @param data the stored bytes
     * @param offset the row's first byte
     * @param x the vectors, {@code count} values each, one after the other
     * @param xOffset the first value of vector 0
     * @param count the row's values
     * @param tokens the vectors
     * @param out receives the dot products
     * @param outOffset where vector 0's goes
     * @param outStride the distance between the vectors' dot products
     */
    default void dotTokens(
            StoredBytes data,
            int offset,
            float[] x,
            int xOffset,
            int count,
            int tokens,
            float[] out,
            int outOffset,
            int outStride) {
        for (int t = 0; t < tokens; t++) {
            out[outOffset + t * outStride] = dot(data, offset, x, xOffset + t * count, count);
        }
    }

    /**
     * {@link #dotTokens} with the vectors in {@link SplitOrder split order} ({@link #dotSplit}),
     * each value exactly as {@link #dotSplit} gives it.
     *
     * @param data the stored bytes
     * @param offset the row's first byte
     * @param split the vectors in split order, {@code count} values each, one after the other
     * @param splitOffset the first value of vector 0
     * @param count the row's values
     * @param tokens the vectors
     * @param out receives the dot products
     * @param outOffset where vector 0's goes
     * @param outStride the distance between the vectors' dot products
     */
    default void dotSplitTokens(
            StoredBytes data,
            int offset,
            float[] split,
            int splitOffset,
            int count,
            int tokens,
            float[] out,
            int outOffset,
            int outStride) {
        for (int t = 0; t < tokens; t++) {
            out[outOffset + t * outStride] =
                    dotSplit(data, offset, split, splitOffset + t * count, count);
        }
    }
}
