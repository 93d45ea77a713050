package io.moezoo.recipes.timeseries.mixture;

import java.util.List;

/**
 * The training objective of a {@link SoftmaxRouter} over windows:
 *
 * <p>\(J(\Theta) = \frac1N \sum_i \ell(\mathrm{softmax}(\Theta z_i); i) + \lambda \sum_{k, j &lt;
 * F} \Theta_{kj}^2\)
 *
 * <p>(the biases are not penalised), with its gradient by the chain rule through the softmax:
 * \(\partial \ell / \partial a_k = w_k (g_k - \sum_m w_m g_m)\) for the logits \(a = \Theta z\) and
 * \(g = \partial \ell / \partial w\), and \(\partial a_k / \partial \Theta_{kj} = z_j\).
 */
public final class RouterObjective {

    private final List<ForecastWindow> windows;
    private final double[][] z;
    private final RouterLoss loss;
    private final double lambda;

    /**
     * Creates the objective.
     *
     * @param windows the training windows
     * @param z their standardised features with the trailing 1 ({@link SoftmaxRouter#standardise})
     * @param loss the per-window loss
     * @param lambda the L2 penalty λ ≥ 0
     */
    public RouterObjective(
            List<ForecastWindow> windows, double[][] z, RouterLoss loss, double lambda) {
        if (windows.isEmpty() || windows.size() != z.length || !(lambda >= 0)) {
            throw new IllegalArgumentException(
                    "The objective needs windows, one feature row each, and lambda >= 0");
        }
        this.windows = windows;
        this.z = z;
        this.loss = loss;
        this.lambda = lambda;
    }

    /**
     * Evaluates J and its gradient.
     *
     * @param theta Θ, K × (F + 1)
     * @param gradient receives \(\partial J / \partial \Theta\) (same shape), or null
     * @return J(Θ)
     */
    public double value(double[][] theta, double[][] gradient) {
        int k = theta.length;
        int width = theta[0].length;
        if (gradient != null) {
            for (double[] row : gradient) {
                java.util.Arrays.fill(row, 0);
            }
        }
        double total = 0;
        double[] g = new double[k];
        int n = windows.size();
        for (int i = 0; i < n; i++) {
            double[] w = SoftmaxRouter.softmax(theta, z[i]);
            total += loss.value(windows.get(i), w, g);
            if (gradient == null) {
                continue;
            }
            double mean = 0;
            for (int m = 0; m < k; m++) {
                mean += w[m] * g[m];
            }
            for (int m = 0; m < k; m++) {
                double da = w[m] * (g[m] - mean) / n;
                for (int j = 0; j < width; j++) {
                    gradient[m][j] += da * z[i][j];
                }
            }
        }
        double penalty = 0;
        for (int m = 0; m < k; m++) {
            for (int j = 0; j < width - 1; j++) {
                penalty += theta[m][j] * theta[m][j];
                if (gradient != null) {
                    gradient[m][j] += 2 * lambda * theta[m][j];
                }
            }
        }
        return total / n + lambda * penalty;
    }
}
