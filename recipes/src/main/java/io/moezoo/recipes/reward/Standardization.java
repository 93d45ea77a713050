package io.moezoo.recipes.reward;

/**
 * Per-column mean and standard deviation of feature rows, the constants a model standardises with.
 */
final class Standardization {

    private Standardization() {}

    /**
     * Computes the column means and standard deviations (a constant column gets scale 1).
     *
     * @param rows the rows, all of the same width
     * @return {@code {mean, std}}
     */
    static float[][] of(float[][] rows) {
        int f = rows[0].length;
        double[] sum = new double[f];
        double[] squares = new double[f];
        for (float[] row : rows) {
            for (int k = 0; k < f; k++) {
                sum[k] += row[k];
                squares[k] += (double) row[k] * row[k];
            }
        }
        float[] mean = new float[f];
        float[] std = new float[f];
        for (int k = 0; k < f; k++) {
            double m = sum[k] / rows.length;
            double variance = Math.max(0, squares[k] / rows.length - m * m);
            mean[k] = (float) m;
            std[k] = variance > 1e-12 ? (float) Math.sqrt(variance) : 1f;
        }
        return new float[][] {mean, std};
    }
}
