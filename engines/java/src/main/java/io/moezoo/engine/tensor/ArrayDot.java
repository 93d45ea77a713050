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
