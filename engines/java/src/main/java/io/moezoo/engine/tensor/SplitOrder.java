package io.moezoo.engine.tensor;

/**
 * The split order of x that some row formats pair with best: within each block of 32 values, the 16
 * even-indexed values and then the 16 odd-indexed ones. MXFP4 lines them up with the low and high
 * nibbles of a block's bytes; BF16 with the low and high halves of 32-bit lanes. A product of many
 * rows with one x splits x once ({@link #split}) and every row reads it in place.
 */
public final class SplitOrder {

    private SplitOrder() {}

    /**
     * Writes x in split order: for each block of 32, {@code out[b + k] = x[b + 2k]} and {@code
     * out[b + 16 + k] = x[b + 2k + 1]} for k &lt; 16.
     *
     * @param x the values in natural order
     * @param xOffset the first value
     * @param out receives {@code count} values from {@code outOffset}
     * @param outOffset the first index written
     * @param count the number of values, a multiple of 32
     */
    public static void split(float[] x, int xOffset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count; b += 32) {
            for (int k = 0; k < 16; k++) {
                out[outOffset + b + k] = x[xOffset + b + 2 * k];
                out[outOffset + b + 16 + k] = x[xOffset + b + 2 * k + 1];
            }
        }
    }

    /**
     * Restores the natural order of split values.
     *
     * @param split the values in split order
     * @param splitOffset the first value
     * @param count the number of values, a multiple of 32
     * @return the values in natural order
     */
    public static float[] merge(float[] split, int splitOffset, int count) {
        float[] x = new float[count];
        for (int b = 0; b < count; b += 32) {
            for (int k = 0; k < 16; k++) {
                x[b + 2 * k] = split[splitOffset + b + k];
                x[b + 2 * k + 1] = split[splitOffset + b + 16 + k];
            }
        }
        return x;
    }
}
