package io.moezoo.engine.tensor;

/** The dot product of two float32 arrays (decoded weight rows with activations). */
public interface ArrayDot {

    /**
     * Returns \(\sum_{i &lt; n} a_{aOffset+i} b_{bOffset+i}\).
     *
     * @param a the first array
     * @param aOffset its first value
     * @param b the second array
     * @param bOffset its first value
     * @param n the number of products
     * @return the sum
     */
    float dot(float[] a, int aOffset, float[] b, int bOffset, int n);

    /**
     * Computes the 16 dot products of 4 rows of {@code a} with 4 rows of {@code b}: {@code out[oOff
     * + t·oStride + r] = a_r · b_t} for r, t &lt; 4, where row r of a starts at {@code aOff + r·n}
     * and row t of b at {@code bOff + t·bStride}. Register blocking makes this several times faster
     * than 16 separate dots: each loaded vector serves four products.
     *
     * @param a the first rows (4 consecutive rows of n)
     * @param aOff the first value of a's row 0
     * @param b the second rows
     * @param bOff the first value of b's row 0
     * @param bStride the distance between b's rows
     * @param n the row length
     * @param out receives the products
     * @param oOff where product (0, 0) goes
     * @param oStride the distance between the products of successive b rows
     */
    default void dot4x4(
            float[] a,
            int aOff,
            float[] b,
            int bOff,
            int bStride,
            int n,
            float[] out,
            int oOff,
            int oStride) {
        for (int t = 0; t < 4; t++) {
            for (int r = 0; r < 4; r++) {
                out[oOff + t * oStride + r] = dot(a, aOff + r * n, b, bOff + t * bStride, n);
            }
        }
    }

    /**
     * The token-block width {@link #rowsByTokens} is fastest at: one vector of float lanes.
     *
     * @return the lanes of a token block (blocks are one or two of these wide)
     */
    default int tokenLanes() {
        return 8;
    }

    /**
     * Multiplies rows with a block of tokens held transposed (token lanes), over a range of n
     * columns: \(out_{outOff + r \cdot width + j} \mathrel{+}= \sum_{k &lt; n} rows_{first + r,
     * from + k} \, xT_{xtOff + k \cdot width + j}\) for r &lt; count, j &lt; width, each sum taken
     * in order of k (from 0 instead of the old value unless {@code accumulate}). Each weight is
     * broadcast to the lanes of all tokens of the block, so the sums need no horizontal additions
     * and every loaded token vector serves all rows (the outer-product form of a matrix product,
     * where {@link #dot4x4} is the inner-product form). The rows are separate arrays because the
     * compiled loop then addresses each from its own base register (with one array and a row stride
     * the compiler spills the eight row offsets to the stack).
     *
     * @param rows the rows
     * @param first the first row multiplied
     * @param count the rows multiplied
     * @param from the first column of the range
     * @param n the columns in the range
     * @param xT the tokens transposed: value k of token j at {@code xtOff + k·width + j}
     * @param xtOff the block's first value in the range
     * @param width the tokens of the block
     * @param out receives (or adds to) {@code count·width} sums, row by row
     * @param outOff where the first row's sums start
     * @param accumulate whether to add to the sums in {@code out}
     */
    default void rowsByTokens(
            float[][] rows,
            int first,
            int count,
            int from,
            int n,
            float[] xT,
            int xtOff,
            int width,
            float[] out,
            int outOff,
            boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(out, outOff, outOff + count * width, 0f);
        }
        for (int r = 0; r < count; r++) {
            float[] row = rows[first + r];
            for (int k = 0; k < n; k++) {
                float w = row[from + k];
                int x = xtOff + k * width;
                for (int j = 0; j < width; j++) {
                    out[outOff + r * width + j] += w * xT[x + j];
                }
            }
        }
    }

    /**
     * Adds a multiple of one array to another: \(y_{yOffset+i} \mathrel{+}= a\,x_{xOffset+i}\) for
     * i &lt; n.
     *
     * @param a the multiple
     * @param x the added values
     * @param xOffset x's first value
     * @param y the values added to
     * @param yOffset y's first value
     * @param n the number of values
     */
    default void addScaled(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        for (int i = 0; i < n; i++) {
            y[yOffset + i] += a * x[xOffset + i];
        }
    }

    /**
     * Replaces values by \(e^{x_i - m}\) (float32, within an ulp or two of {@code Math.exp}) and
     * returns their sum: a softmax's numerators and denominator.
     *
     * @param x the values, changed in place
     * @param from the first index
     * @param to the end index (exclusive)
     * @param m the shift (the maximum, so that no term overflows)
     * @return the sum of the new values
     */
    default float expShifted(float[] x, int from, int to, float m) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            x[i] = (float) Math.exp(x[i] - m);
            sum += x[i];
        }
        return sum;
    }

    /** The plain-Java form. */
    ArrayDot SCALAR =
            (a, aOffset, b, bOffset, n) -> {
                float sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += a[aOffset + i] * b[bOffset + i];
                }
                return sum;
            };
}
