package io.moezoo.recipes.timeseries.mixture;

/**
 * A forecast window with everything the router needs: the features of its history, every expert's
 * forecast, the actual values and the MASE scale.
 *
 * @param name the window's name
 * @param season the decided season m
 * @param features the {@link SeriesFeatures} of the history
 * @param forecasts {@code forecasts[k]} the forecast of expert k ({@link ExpertPanel#EXPERTS})
 * @param actual the values that followed
 * @param scale the MASE scale: the in-sample mean absolute lag-m difference of the history
 */
public record ForecastWindow(
        String name,
        int season,
        double[] features,
        double[][] forecasts,
        double[] actual,
        double scale) {

    /**
     * The number of experts.
     *
     * @return K
     */
    public int experts() {
        return forecasts.length;
    }

    /**
     * The MASE of expert k.
     *
     * @param k the expert
     * @return its MASE
     */
    public double mase(int k) {
        return mase(forecasts[k]);
    }

    /**
     * The MASE of any forecast of this window.
     *
     * @param forecast the forecast {@code [H]}
     * @return mean |actual − forecast| / scale
     */
    public double mase(double[] forecast) {
        double s = 0;
        for (int h = 0; h < actual.length; h++) {
            s += Math.abs(actual[h] - forecast[h]);
        }
        return s / actual.length / scale;
    }

    /**
     * The combination \(\sum_k w_k f_k\) of the experts' forecasts.
     *
     * @param weights w, one per expert
     * @return the combined forecast
     */
    public double[] combine(double[] weights) {
        double[] out = new double[actual.length];
        for (int k = 0; k < forecasts.length; k++) {
            for (int h = 0; h < out.length; h++) {
                out[h] += weights[k] * forecasts[k][h];
            }
        }
        return out;
    }

    /**
     * A copy that keeps only some experts.
     *
     * @param experts the experts kept, in order
     * @return the window with those experts' forecasts
     */
    public ForecastWindow select(int[] experts) {
        double[][] f = new double[experts.length][];
        for (int i = 0; i < experts.length; i++) {
            f[i] = forecasts[experts[i]];
        }
        return new ForecastWindow(name, season, features, f, actual, scale);
    }

    /**
     * A copy with only the first features.
     *
     * @param count how many features to keep
     * @return the window with {@code features[0..count)}
     */
    public ForecastWindow withFeatures(int count) {
        return new ForecastWindow(
                name, season, java.util.Arrays.copyOf(features, count), forecasts, actual, scale);
    }
}
