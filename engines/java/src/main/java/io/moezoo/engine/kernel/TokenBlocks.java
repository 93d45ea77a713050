package io.moezoo.engine.kernel;

import io.moezoo.engine.tensor.ArrayDot;

/**
 * A product's tokens transposed into blocks for {@link ArrayDot#rowsByTokens} (token lanes): block
 * b holds tokens [start_b, start_b + count_b) as {@code values[offset_b + k·width_b + j] =
 * x_{start_b + j, k}}, zero past count_b. Blocks are two vectors of lanes wide while more than one
 * vector's tokens remain, then one: 16 tokens on 16 lanes make one full block, 20 one block of 32
 * with 12 zero lanes, 128 four full blocks.
 *
 * <p>Made and filled once per product before its units run and only read by them; products that
 * share their input (an FFN's gate and up projections) share one.
 */
final class TokenBlocks {

    /** Columns multiplied at a time (see {@link #multiply}). */
    private static final int CHUNK = 256;

    private final float[] x;
    private final int xOffset;
    private final int tokens;
    private final int cols;
    private final float[] values;
    private final int[] start;
    private final int[] width;
    private final int[] offset;
    private final int maxWidth;

    private TokenBlocks(float[] x, int xOffset, int tokens, int cols, int[] start, int[] width) {
        this.x = x;
        this.xOffset = xOffset;
        this.tokens = tokens;
        this.cols = cols;
        this.start = start;
        this.width = width;
        this.offset = new int[start.length];
        int total = 0;
        int widest = 0;
        for (int b = 0; b < start.length; b++) {
            offset[b] = total;
            total += cols * width[b];
            widest = Math.max(widest, width[b]);
        }
        this.maxWidth = widest;
        this.values = new float[total];
    }

    /**
     * Lays out the tokens of a product's input in blocks; {@link #fill} transposes them.
     *
     * @param x the input
     * @param xOffset token 0's first value
     * @param tokens the tokens
     * @param cols the values per token
     * @param lanes the kernel's token lanes ({@link ArrayDot#tokenLanes})
     * @return the blocks
     */
    static TokenBlocks of(float[] x, int xOffset, int tokens, int cols, int lanes) {
        int blocks = 0;
        for (int left = tokens; left > 0; left -= left > lanes ? 2 * lanes : lanes) {
            blocks++;
        }
        int[] start = new int[blocks];
        int[] width = new int[blocks];
        int at = 0;
        for (int b = 0; b < blocks; b++) {
            start[b] = at;
            width[b] = tokens - at > lanes ? 2 * lanes : lanes;
            at += width[b];
        }
        return new TokenBlocks(x, xOffset, tokens, cols, start, width);
    }

    /**
     * Writes the transposed values (idempotent: {@link MatrixOps#forEachTask} may run it twice).
     */
    void fill() {
        for (int b = 0; b < start.length; b++) {
            int count = Math.min(width[b], tokens - start[b]);
            int from = xOffset + start[b] * cols;
            // Written in order (each token's row read from its own cache lines meanwhile).
            for (int k = 0; k < cols; k++) {
                int to = offset[b] + k * width[b];
                for (int j = 0; j < count; j++) {
                    values[to + j] = x[from + j * cols + k];
                }
            }
        }
    }

    /** Whether these blocks hold the given input (so a product with it can share them). */
    boolean holds(float[] x, int xOffset, int tokens, int cols) {
        return this.x == x && this.xOffset == xOffset && this.tokens == tokens && this.cols == cols;
    }

    /** The floats {@link #multiply} needs in its scratch array for a tile of the given rows. */
    int scratchSize(int rows) {
        return rows * maxWidth;
    }

    /**
     * Multiplies decoded rows with every token: the value of token t, row r goes to {@code y[yBase
     * + t·yStride + r]}. The columns are taken {@value #CHUNK} at a time, and each chunk of a token
     * block serves the tile's rows 8 at a time, so that the chunk ({@value #CHUNK} columns of 32
     * tokens: 32 KB) and the tile's part of it stay in the L1 cache while they are reused.
     *
     * @param dot the kernel
     * @param tile the rows, {@code cols} values each
     * @param rows the rows in the tile
     * @param y receives the values
     * @param yBase where token 0, row 0 goes
     * @param yStride the distance between tokens in y
     * @param scratch at least {@link #scratchSize} floats
     */
    void multiply(
            ArrayDot dot,
            float[][] tile,
            int rows,
            float[] y,
            int yBase,
            int yStride,
            float[] scratch) {
        for (int b = 0; b < start.length; b++) {
            int w = width[b];
            for (int k0 = 0; k0 < cols; k0 += CHUNK) {
                int n = Math.min(CHUNK, cols - k0);
                for (int g = 0; g < rows; g += 8) {
                    dot.rowsByTokens(
                            tile,
                            g,
                            Math.min(8, rows - g),
                            k0,
                            n,
                            values,
                            offset[b] + k0 * w,
                            w,
                            scratch,
                            g * w,
                            k0 > 0);
                }
            }
            int count = Math.min(w, tokens - start[b]);
            for (int j = 0; j < count; j++) {
                int to = yBase + (start[b] + j) * yStride;
                for (int r = 0; r < rows; r++) {
                    y[to + r] = scratch[r * w + j];
                }
            }
        }
    }
}
