package io.moezoo.engine.tensor;

import io.moezoo.formats.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The transpose of a weight matrix as a heap copy in its stored element format, for weights a
 * checkpoint stores in the x·W layout ({@code [in, out]}, gpt-oss's dequantized experts) where the
 * engine's products read rows of outputs ({@code [out, in]}). Only element formats are copied (F32,
 * F16, BF16): their values pass through float32 and back exactly. Block formats (Q8_0, Q4_0, MXFP4)
 * and block-scaled FP8 quantise along a row, so their transpose would have to be re-quantised, and
 * are refused.
 */
public final class TransposedCopy {

    private static final int TILE = 64;

    private TransposedCopy() {}

    /**
     * Returns whether a format can be transposed here.
     *
     * @param format the format
     * @return true for F32, F16 and BF16
     */
    public static boolean supports(WeightFormat format) {
        return format == WeightFormat.F32
                || format == WeightFormat.F16
                || format == WeightFormat.BF16;
    }

    /**
     * Copies the transpose of a matrix (or a view of its rows).
     *
     * @param w {@code [rows, cols]}
     * @return {@code [cols, rows]} in w's format, on the heap
     * @throws IllegalArgumentException if the format is not {@link #supports supported} or the copy
     *     would exceed 2 GiB
     */
    public static WeightMatrix of(WeightMatrix w) {
        WeightFormat format = w.format();
        if (!supports(format)) {
            throw new IllegalArgumentException(
                    "Only F32, F16 and BF16 matrices can be transposed, not " + format);
        }
        int rows = w.rows();
        int cols = w.cols();
        int size = format.blockBytes();
        long bytes = (long) rows * cols * size;
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "A transposed copy of " + w + " would take " + bytes + " bytes (over 2 GiB)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] tile = new float[TILE * cols];
        for (int r0 = 0; r0 < rows; r0 += TILE) {
            int n = Math.min(TILE, rows - r0);
            for (int i = 0; i < n; i++) {
                w.decodeRow(r0 + i, tile, i * cols);
            }
            // Row c of the copy holds column c of w: n consecutive elements per tile.
            for (int c = 0; c < cols; c++) {
                int at = (c * rows + r0) * size;
                for (int i = 0; i < n; i++) {
                    put(out, at + i * size, format, tile[i * cols + c]);
                }
            }
        }
        return WeightMatrix.of(format, cols, rows, out);
    }

    private static void put(ByteBuffer out, int at, WeightFormat format, float v) {
        switch (format) {
            case F32 -> out.putFloat(at, v);
            case F16 -> out.putShort(at, Half.toF16(v));
            case BF16 -> out.putShort(at, (short) (Float.floatToRawIntBits(v) >>> 16));
            default -> throw new IllegalStateException(format.toString());
        }
    }
}
