package io.moezoo.recipes.timeseries.mixture;

import java.util.List;

/**
 * A softmax-gated router over K experts: the features f are standardised with the training means μ
 * and standard deviations σ and clipped, \(z_j = \min(5, \max(-5, (f_j - \mu_j)/\sigma_j))\), and
 * the weights are \(w = \mathrm{softmax}(\Theta [z; 1])\) with Θ of shape K × (F + 1) (the last
 * column the biases). The mixture's forecast is \(\sum_k w_k \hat y_k\).
 *
 * @param experts the expert names (K)
 * @param features the feature names (F)
 * @param means μ
 * @param stds σ (positive)
 * @param theta Θ, {@code theta[k][j]}, j = F the bias
 */
public record SoftmaxRouter(
        List<String> experts,
        List<String> features,
        double[] means,
        double[] stds,
        double[][] theta) {

    /** The clip of standardised features. */
    public static final double CLIP = 5;

    /**
     * Checks the shapes.
     *
     * @param experts the expert names
     * @param features the feature names
     * @param means μ
     * @param stds σ
     * @param theta Θ
     */
    public SoftmaxRouter {
        int k = experts.size();
        int f = features.size();
        if (k < 1 || means.length != f || stds.length != f || theta.length != k) {
            throw new IllegalArgumentException("Router shapes do not match K experts, F features");
        }
        for (double[] row : theta) {
            if (row.length != f + 1) {
                throw new IllegalArgumentException("Each row of theta has F + 1 entries");
            }
        }
        for (double s : stds) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Standard deviations must be positive");
            }
        }
    }

    /**
     * The standardised, clipped features with a trailing 1.
     *
     * @param f the raw features (the router uses the first F of them)
     * @return \([z; 1]\)
     * @throws IllegalArgumentException if there are fewer than F features
     */
    public double[] standardise(double[] f) {
        int n = means.length;
        if (f.length < n) {
            throw new IllegalArgumentException(
                    "The router needs " + n + " features, got " + f.length);
        }
        double[] z = new double[n + 1];
        for (int j = 0; j < n; j++) {
            z[j] = Math.max(-CLIP, Math.min(CLIP, (f[j] - means[j]) / stds[j]));
        }
        z[n] = 1;
        return z;
    }

    /**
     * The expert weights of a series.
     *
     * @param f its raw features
     * @return w (non-negative, summing to 1)
     */
    public double[] weights(double[] f) {
        return softmax(theta, standardise(f));
    }

    /**
     * The mixture's forecast of a window.
     *
     * @param window the window (with this router's experts)
     * @return \(\sum_k w_k \hat y_k\)
     */
    public double[] forecast(ForecastWindow window) {
        return window.combine(weights(window.features()));
    }

    /**
     * \(\mathrm{softmax}(\Theta z)\), computed stably.
     *
     * @param theta Θ
     * @param z the standardised features with the trailing 1
     * @return the weights
     */
    static double[] softmax(double[][] theta, double[] z) {
        double[] a = new double[theta.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < a.length; k++) {
            for (int j = 0; j < z.length; j++) {
                a[k] += theta[k][j] * z[j];
            }
            max = Math.max(max, a[k]);
        }
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            a[k] = Math.exp(a[k] - max);
            sum += a[k];
        }
        for (int k = 0; k < a.length; k++) {
            a[k] /= sum;
        }
        return a;
    }
}
