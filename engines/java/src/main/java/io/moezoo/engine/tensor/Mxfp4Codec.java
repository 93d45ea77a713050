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
}
