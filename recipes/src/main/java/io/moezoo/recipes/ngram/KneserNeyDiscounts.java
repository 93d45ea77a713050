package io.moezoo.recipes.ngram;

import java.util.Arrays;
import java.util.Locale;

/**
 * The discounts of an interpolated Kneser-Ney model: for every order {@code k} three values {@code
 * D_k(1), D_k(2), D_k(3+)}, subtracted from n-grams seen once, twice, and three or more times.
 *
 * <p>{@link #modified} estimates them as Chen &amp; Goodman (1999, eq. 26) do, from the
 * count-of-counts {@code n_i = n_{k,i}} of the order's counts ({@link NgramCounts}: raw counts at
 * the highest order, continuation counts below):
 *
 * <pre>
 *   Y      = n_1 / (n_1 + 2 n_2)
 *   D(1)   = 1 - 2 Y n_2 / n_1
 *   D(2)   = 2 - 3 Y n_3 / n_2
 *   D(3+)  = 3 - 4 Y n_4 / n_3
 * </pre>
 *
 * <p>{@link #single} uses one discount per order for every count (the original interpolated
 * Kneser-Ney, and nltk's {@code KneserNeyInterpolated}, which uses one {@code D} above the unigrams
 * and none at the unigrams).
 *
 * <p>Every discount must lie in {@code [0, i]} for its count {@code i} ({@code [0, 3]} for {@code
 * 3+}): then {@code max(c - D(c), 0) = c - D(c)} and the interpolated distribution sums to 1.
 *
 * @param byOrder {@code byOrder[k - 1] = {D_k(1), D_k(2), D_k(3+)}}
 */
public record KneserNeyDiscounts(double[][] byOrder) {

    /**
     * Validates and copies.
     *
     * @param byOrder the discounts of orders 1..n
     * @throws InvalidNgramInputException if an order lacks three values or a value is outside
     *     {@code [0, i]}
     */
    public KneserNeyDiscounts {
        if (byOrder == null || byOrder.length == 0) {
            throw new InvalidNgramInputException("Need the discounts of at least one order");
        }
        double[][] copy = new double[byOrder.length][];
        for (int k = 0; k < byOrder.length; k++) {
            if (byOrder[k] == null || byOrder[k].length != 3) {
                throw new InvalidNgramInputException(
                        "Order " + (k + 1) + " needs three discounts D(1), D(2), D(3+)");
            }
            for (int i = 0; i < 3; i++) {
                double d = byOrder[k][i];
                if (!(d >= 0 && d <= i + 1)) {
                    throw new InvalidNgramInputException(
                            String.format(
                                    Locale.ROOT,
                                    "Discount D_%d(%d%s) = %s is outside [0, %d]",
                                    k + 1,
                                    i + 1,
                                    i == 2 ? "+" : "",
                                    d,
                                    i + 1));
                }
            }
            copy[k] = byOrder[k].clone();
        }
        byOrder = copy;
    }

    /**
     * Estimates the modified Kneser-Ney discounts of every order from the count-of-counts.
     *
     * @param counts the counts
     * @return the discounts
     * @throws InvalidNgramInputException if an order has no n-gram seen exactly 1, 2, 3 or 4 times,
     *     or the estimate falls outside {@code [0, i]} (too little data)
     */
    public static KneserNeyDiscounts modified(NgramCounts counts) {
        double[][] d = new double[counts.order()][];
        for (int k = 1; k <= counts.order(); k++) {
            long[] n = new long[5];
            for (int i = 1; i <= 4; i++) {
                n[i] = counts.countOfCounts(k, i);
                if (n[i] == 0) {
                    throw new InvalidNgramInputException(
                            "Too little data for modified Kneser-Ney: no "
                                    + k
                                    + "-gram has count "
                                    + i
                                    + " (count-of-counts "
                                    + Arrays.toString(Arrays.copyOfRange(n, 1, i + 1))
                                    + ")");
                }
            }
            double y = n[1] / (double) (n[1] + 2 * n[2]);
            d[k - 1] =
                    new double[] {
                        1 - 2 * y * n[2] / n[1], 2 - 3 * y * n[3] / n[2], 3 - 4 * y * n[4] / n[3]
                    };
        }
        return new KneserNeyDiscounts(d);
    }

    /**
     * One discount per order, the same for every count.
     *
     * @param perOrder {@code perOrder[k - 1]} is the discount of order k, in {@code [0, 1]}
     * @return the discounts
     * @throws InvalidNgramInputException if a value is outside {@code [0, 1]}
     */
    public static KneserNeyDiscounts single(double... perOrder) {
        double[][] d = new double[perOrder.length][];
        for (int k = 0; k < perOrder.length; k++) {
            d[k] = new double[] {perOrder[k], perOrder[k], perOrder[k]};
        }
        return new KneserNeyDiscounts(d);
    }

    /**
     * Returns the number of orders.
     *
     * @return n
     */
    public int order() {
        return byOrder.length;
    }

    /**
     * Returns the discount of an order for a count.
     *
     * @param k the order, 1..n
     * @param count the count (0 gives 0)
     * @return {@code D_k(min(count, 3))}, or 0 for count 0
     */
    public double discount(int k, long count) {
        return count <= 0 ? 0 : byOrder[k - 1][(int) Math.min(count, 3) - 1];
    }

    /**
     * Returns a copy of the discounts.
     *
     * @return {@code byOrder[k - 1] = {D_k(1), D_k(2), D_k(3+)}}
     */
    @Override
    public double[][] byOrder() {
        double[][] copy = new double[byOrder.length][];
        for (int k = 0; k < byOrder.length; k++) {
            copy[k] = byOrder[k].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KneserNeyDiscounts other && Arrays.deepEquals(byOrder, other.byOrder);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(byOrder);
    }

    @Override
    public String toString() {
        return "KneserNeyDiscounts" + Arrays.deepToString(byOrder);
    }
}
