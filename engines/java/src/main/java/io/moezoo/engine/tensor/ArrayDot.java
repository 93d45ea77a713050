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
