package io.moezoo.engine.kernel;

import io.moezoo.engine.tensor.WeightMatrix;

/**
 * One product of a batch: \(Y_{t, r} = W_r \cdot X_t\) for {@code tokens} vectors X (row-major,
 * {@code w.cols()} values each from {@code xOffset}) into Y (row-major, {@code w.rows()} values per
 * token from {@code yOffset}).
 *
 * @param w the weights
 * @param x the inputs
 * @param xOffset the first input value
 * @param y receives the outputs
 * @param yOffset the first output value
 * @param tokens the number of vectors, &gt; 0
 */
public record Product(WeightMatrix w, float[] x, int xOffset, float[] y, int yOffset, int tokens) {

    /**
     * Checks the bounds.
     *
     * @param w the weights
     * @param x the inputs
     * @param xOffset the first input value
     * @param y receives the outputs
     * @param yOffset the first output value
     * @param tokens the number of vectors
     */
    public Product {
        if (tokens <= 0
                || xOffset < 0
                || yOffset < 0
                || xOffset + (long) tokens * w.cols() > x.length
                || yOffset + (long) tokens * w.rows() > y.length) {
            throw new IllegalArgumentException(
                    "Product of "
                            + w
                            + " with "
                            + tokens
                            + " vectors does not fit arrays of "
                            + x.length
                            + " and "
                            + y.length);
        }
    }

    /**
     * A one-vector product over whole arrays.
     *
     * @param w the weights
     * @param x {@code w.cols()} values
     * @param y receives {@code w.rows()} values
     * @return the product
     */
    public static Product of(WeightMatrix w, float[] x, float[] y) {
        return new Product(w, x, 0, y, 0, 1);
    }
}
