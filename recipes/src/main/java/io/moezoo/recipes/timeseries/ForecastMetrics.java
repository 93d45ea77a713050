package io.moezoo.recipes.timeseries;

/**
 * Point-forecast metrics and baselines (M4 definitions).
 *
 * <ul>
 *   <li>MASE: \(\frac{\frac1H\sum_j |y_j - \hat y_j|}{s}\) with the in-sample seasonal-naive scale
 *       \(s = \frac{1}{n-m}\sum_{t=m}^{n-1} |x_t - x_{t-m}|\) over the history x (everything before
 *       the forecast tail) and season m;
 *   <li>sMAPE (percent): \(\frac{200}{H}\sum_j \frac{|y_j - \hat y_j|}{|y_j| + |\hat y_j|}\), a
 *       term with \(|y_j| + |\hat y_j| = 0\) counting 0;
 *   <li>naive: the last history value repeated; seasonal naive: \(\hat y_j = x_{n - m + (j \bmod
 *       m)}\) (equal to naive for m = 1).
 * </ul>
 */
public final class ForecastMetrics {

    private ForecastMetrics() {}

    /**
     * The MASE scale: the in-sample mean absolute seasonal difference.
     *
     * @param history x (length &gt; m)
     * @param season m ≥ 1
     * @return s
     * @throws IllegalArgumentException if the history is not longer than m or s is 0
     */
    public static double scale(float[] history, int season) {
        if (season < 1 || history.length <= season) {
            throw new IllegalArgumentException(
                    "MASE scale needs season >= 1 and more than "
                            + season
                            + " history values, got "
                            + history.length);
        }
        double sum = 0;
        for (int t = season; t < history.length; t++) {
            sum += Math.abs((double) history[t] - history[t - season]);
        }
        double s = sum / (history.length - season);
        if (!(s > 0)) {
            throw new IllegalArgumentException(
                    "MASE is undefined: the history's seasonal differences are all 0");
        }
        return s;
    }

    /**
     * Mean absolute scaled error.
     *
     * @param actual y {@code [H]}
     * @param forecast ŷ {@code [H]}
     * @param history x, the values before y
     * @param season m
     * @return MASE
     */
    public static double mase(float[] actual, float[] forecast, float[] history, int season) {
        check(actual, forecast);
        double sum = 0;
        for (int j = 0; j < actual.length; j++) {
            sum += Math.abs((double) actual[j] - forecast[j]);
        }
        return sum / actual.length / scale(history, season);
    }

    /**
     * Symmetric mean absolute percentage error, in percent (0…200).
     *
     * @param actual y
     * @param forecast ŷ
     * @return sMAPE
     */
    public static double smape(float[] actual, float[] forecast) {
        check(actual, forecast);
        double sum = 0;
        for (int j = 0; j < actual.length; j++) {
            double denominator = Math.abs((double) actual[j]) + Math.abs((double) forecast[j]);
            if (denominator > 0) {
                sum += Math.abs((double) actual[j] - forecast[j]) / denominator;
            }
        }
        return 200 * sum / actual.length;
    }

    /**
     * The naive forecast: the last history value, H times.
     *
     * @param history x (not empty)
     * @param horizon H
     * @return the forecast
     */
    public static float[] naive(float[] history, int horizon) {
        return seasonalNaive(history, horizon, 1);
    }

    /**
     * The seasonal-naive forecast \(\hat y_j = x_{n - m + (j \bmod m)}\).
     *
     * @param history x (at least m values)
     * @param horizon H
     * @param season m
     * @return the forecast
     * @throws IllegalArgumentException if the history is shorter than m
     */
    public static float[] seasonalNaive(float[] history, int horizon, int season) {
        if (season < 1 || history.length < season || horizon < 1) {
            throw new IllegalArgumentException(
                    "Seasonal naive needs season >= 1, horizon >= 1 and at least one season of"
                            + " history");
        }
        float[] out = new float[horizon];
        int n = history.length;
        for (int j = 0; j < horizon; j++) {
            out[j] = history[n - season + (j % season)];
        }
        return out;
    }

    /**
     * The geometric mean \(\exp(\frac1n \sum \ln v_i)\).
     *
     * @param values positive values
     * @return the geometric mean
     * @throws IllegalArgumentException if there are no values or one is not positive
     */
    public static double geometricMean(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("geometric mean of no values");
        }
        double sum = 0;
        for (double v : values) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(
                        "geometric mean needs positive values, got " + v);
            }
            sum += Math.log(v);
        }
        return Math.exp(sum / values.length);
    }

    private static void check(float[] actual, float[] forecast) {
        if (actual.length == 0 || actual.length != forecast.length) {
            throw new IllegalArgumentException(
                    "actual and forecast must be non-empty and equally long, got "
                            + actual.length
                            + " and "
                            + forecast.length);
        }
    }
}
