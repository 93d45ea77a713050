package io.moezoo.blocks.kernel;

import ai.djl.ndarray.NDArray;

/**
 * One host-vector product of a batch for {@link MatVec#rows(java.util.List)}: {@code y[r] = Σ_k
 * W[firstRow + r, k] · x[k]} for {@code r < y.length}, W being the weight viewed as a matrix of
 * {@code x.length} columns (expert e of a stacked {@code [E, N, K]} weight starts at row {@code
 * e·N}).
 *
 * @param weight the weight, read in place
 * @param firstRow the first row of the view
 * @param x the vector, K values
 * @param y receives the products, one per row
 */
public record RowProduct(NDArray weight, long firstRow, float[] x, float[] y) {

    /**
     * Checks that the rows lie inside the weight.
     *
     * @param weight the weight, read in place
     * @param firstRow the first row of the view
     * @param x the vector, K values
     * @param y receives the products, one per row
     * @throws IllegalArgumentException if they do not
     */
    public RowProduct {
        long total = weight.getShape().size();
        if (x.length == 0
                || total % x.length != 0
                || firstRow < 0
                || firstRow + y.length > total / x.length) {
            throw new IllegalArgumentException(
                    "Rows ["
                            + firstRow
                            + ", "
                            + (firstRow + y.length)
                            + ") of "
                            + x.length
                            + " columns lie outside a weight of shape "
                            + weight.getShape());
        }
    }

    /**
     * Creates the product of the first rows of a weight with a new result array.
     *
     * @param weight the weight
     * @param firstRow the first row
     * @param rows the number of rows
     * @param x the vector
     * @return the product (its {@link #y} is filled by {@link MatVec#rows(java.util.List)})
     */
    public static RowProduct of(NDArray weight, long firstRow, int rows, float[] x) {
        return new RowProduct(weight, firstRow, x, new float[rows]);
    }

    /**
     * Creates the product of a whole weight {@code [N, K]} with a new result array.
     *
     * @param weight the weight
     * @param x the vector, K values
     * @return the product of all N rows
     */
    public static RowProduct of(NDArray weight, float[] x) {
        return of(weight, 0, Math.toIntExact(weight.getShape().size() / x.length), x);
    }
}
