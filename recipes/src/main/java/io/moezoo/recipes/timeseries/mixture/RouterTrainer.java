package io.moezoo.recipes.timeseries.mixture;

import java.util.List;

/**
 * Fits a {@link SoftmaxRouter}: the feature means and standard deviations come from the training
 * windows, Θ starts at 0 (equal weights) and takes {@code steps} full-batch Adam steps (β₁ = 0.9,
 * β₂ = 0.999, ε = 10⁻⁸) on the {@link RouterObjective}. Every step is deterministic, so the same
 * windows give the same router.
 *
 * @param loss the per-window loss
 * @param lambda the L2 penalty
 * @param steps the Adam steps
 * @param learningRate the Adam step size
 */
public record RouterTrainer(RouterLoss loss, double lambda, int steps, double learningRate) {

    /**
     * Validates the settings.
     *
     * @param loss the loss
     * @param lambda λ ≥ 0
     * @param steps steps ≥ 0
     * @param learningRate the step size &gt; 0
     */
    public RouterTrainer {
        if (loss == null || !(lambda >= 0) || steps < 0 || !(learningRate > 0)) {
            throw new IllegalArgumentException("Invalid router training settings");
        }
    }

    /**
     * Trains a router.
     *
     * @param windows the training windows (every one with the same K experts and F features)
     * @param experts the expert names
     * @param features the feature names
     * @return the router
     */
    public SoftmaxRouter fit(
            List<ForecastWindow> windows, List<String> experts, List<String> features) {
        int f = features.size();
        int n = windows.size();
        double[] means = new double[f];
        double[] stds = new double[f];
        for (ForecastWindow w : windows) {
            for (int j = 0; j < f; j++) {
                means[j] += w.features()[j] / n;
            }
        }
        for (ForecastWindow w : windows) {
            for (int j = 0; j < f; j++) {
                double d = w.features()[j] - means[j];
                stds[j] += d * d / n;
            }
        }
        for (int j = 0; j < f; j++) {
            stds[j] = stds[j] > 1e-12 ? Math.sqrt(stds[j]) : 1;
        }
        int k = experts.size();
        double[][] theta = new double[k][f + 1];
        SoftmaxRouter shape = new SoftmaxRouter(experts, features, means, stds, theta);
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            z[i] = shape.standardise(windows.get(i).features());
        }
        RouterObjective objective = new RouterObjective(windows, z, loss, lambda);
        double[][] grad = new double[k][f + 1];
        double[][] m1 = new double[k][f + 1];
        double[][] m2 = new double[k][f + 1];
        for (int t = 1; t <= steps; t++) {
            objective.value(theta, grad);
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b <= f; b++) {
                    m1[a][b] = 0.9 * m1[a][b] + 0.1 * grad[a][b];
                    m2[a][b] = 0.999 * m2[a][b] + 0.001 * grad[a][b] * grad[a][b];
                    theta[a][b] -=
                            learningRate * (m1[a][b] / c1) / (Math.sqrt(m2[a][b] / c2) + 1e-8);
                }
            }
        }
        return new SoftmaxRouter(experts, features, means, stds, theta);
    }
}
