package io.moezoo.recipes.reward;

/**
 * The dense twin of {@code dmoerm-brown} 0.2.0: one linear score \(r = w^\top x\) over the same
 * standardised language-model statistics, fitted on the same training pairs by minimising the
 * pairwise loss \(\mathrm{mean}_i \log(1 + e^{-w^\top (x_{c,i} - x_{r,i})}) + \tfrac{\lambda}{2}
 * \lVert w \rVert^2\) with Newton's method (the problem is convex and small).
 */
final class PairwiseLogistic {

    private static final double L2 = 1e-3;
    private static final int ITERATIONS = 30;

    private final double[] weights;
    private final float[][] standardization;

    private PairwiseLogistic(double[] weights, float[][] standardization) {
        this.weights = weights;
        this.standardization = standardization;
    }

    /**
     * Fits the model.
     *
     * @param statistics rows {@code 2i} (chosen) and {@code 2i + 1} (rejected)
     * @param standardization {@code {mean, std}} of the columns
     * @return the fitted model
     */
    static PairwiseLogistic fit(float[][] statistics, float[][] standardization) {
        int n = statistics.length / 2;
        int f = statistics[0].length;
        double[][] d = new double[n][f];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < f; k++) {
                d[i][k] = (statistics[2 * i][k] - statistics[2 * i + 1][k]) / standardization[1][k];
            }
        }
        double[] w = new double[f];
        for (int it = 0; it < ITERATIONS; it++) {
            double[] gradient = new double[f];
            double[][] hessian = new double[f][f];
            for (int i = 0; i < n; i++) {
                double margin = 0;
                for (int k = 0; k < f; k++) {
                    margin += w[k] * d[i][k];
                }
                double p = 1 / (1 + Math.exp(margin)); // sigma(-margin)
                for (int k = 0; k < f; k++) {
                    gradient[k] -= p * d[i][k] / n;
                    for (int l = 0; l < f; l++) {
                        hessian[k][l] += p * (1 - p) * d[i][k] * d[i][l] / n;
                    }
                }
            }
            for (int k = 0; k < f; k++) {
                gradient[k] += L2 * w[k];
                hessian[k][k] += L2;
            }
            double[] step = RidgeRegression.solve(hessian, gradient);
            for (int k = 0; k < f; k++) {
                w[k] -= step[k];
            }
        }
        return new PairwiseLogistic(w, standardization);
    }

    /**
     * Scores one response.
     *
     * @param row its statistics
     * @return \(w^\top x\)
     */
    double score(float[] row) {
        double s = 0;
        for (int k = 0; k < weights.length; k++) {
            s += weights[k] * (row[k] - standardization[0][k]) / standardization[1][k];
        }
        return s;
    }

    /**
     * Evaluates on cached pairs.
     *
     * @param cache the pairs' statistics
     * @param pairs the pairs
     * @return the evaluation
     */
    RewardEvaluation evaluate(LmFeatureCache cache, java.util.List<RewardPair> pairs) {
        boolean[] correct = new boolean[pairs.size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = score(cache.statistics()[2 * i]) > score(cache.statistics()[2 * i + 1]);
        }
        return RewardEvaluation.of(pairs, correct, null);
    }
}
