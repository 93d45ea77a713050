package io.moezoo.recipes.reward;

/**
 * Ridge regression without intercept, solved exactly: \(w = (X^\top X + \alpha I)^{-1} X^\top y\)
 * (ArmoRM's stage 1), by Cholesky factorisation in double precision.
 */
public final class RidgeRegression {

    private RidgeRegression() {}

    /**
     * Fits w.
     *
     * @param x the rows, row-major {@code [n, d]}
     * @param d the number of features
     * @param rows the row indices to use
     * @param y the targets, one per entry of {@code rows}
     * @param alpha the ridge penalty α &gt; 0
     * @return w {@code [d]}
     * @throws IllegalArgumentException if the sizes disagree or α is not positive
     */
    public static double[] fit(float[] x, int d, int[] rows, double[] y, double alpha) {
        if (rows.length != y.length || !(alpha > 0) || d <= 0) {
            throw new IllegalArgumentException("Need one target per row, alpha > 0 and d > 0");
        }
        double[][] a = new double[d][d];
        double[] b = new double[d];
        for (int k = 0; k < rows.length; k++) {
            int base = rows[k] * d;
            for (int i = 0; i < d; i++) {
                double xi = x[base + i];
                b[i] += xi * y[k];
                for (int j = 0; j <= i; j++) {
                    a[i][j] += xi * x[base + j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            a[i][i] += alpha;
        }
        return solve(a, b);
    }

    /**
     * Solves \(A w = b\) for a symmetric positive-definite A by Cholesky, \(A = L L^\top\).
     *
     * @param a A (only its lower triangle is read)
     * @param b the right-hand side
     * @return w
     */
    static double[] solve(double[][] a, double[] b) {
        int d = b.length;
        // Cholesky: a = L L^T (lower triangle of a holds the symmetric matrix).
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(sum) : sum / l[j][j];
            }
        }
        double[] z = new double[d];
        for (int i = 0; i < d; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * z[k];
            }
            z[i] = sum / l[i][i];
        }
        double[] w = new double[d];
        for (int i = d - 1; i >= 0; i--) {
            double sum = z[i];
            for (int k = i + 1; k < d; k++) {
                sum -= l[k][i] * w[k];
            }
            w[i] = sum / l[i][i];
        }
        return w;
    }

    /**
     * Returns the mean squared error of w on rows.
     *
     * @param x the rows, row-major {@code [n, d]}
     * @param d the number of features
     * @param rows the row indices
     * @param y the targets
     * @param w the weights
     * @return the MSE
     */
    public static double mse(float[] x, int d, int[] rows, double[] y, double[] w) {
        double sum = 0;
        for (int k = 0; k < rows.length; k++) {
            double p = 0;
            for (int i = 0; i < d; i++) {
                p += x[rows[k] * d + i] * w[i];
            }
            sum += (p - y[k]) * (p - y[k]);
        }
        return sum / Math.max(1, rows.length);
    }
}
