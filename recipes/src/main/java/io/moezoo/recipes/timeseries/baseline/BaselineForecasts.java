package io.moezoo.recipes.timeseries.baseline;

/**
 * The classical baselines of one history, with the season decided from the data.
 *
 * <p>The season m is the natural period of the frequency when the first differences of the history
 * pass the autocorrelation test ({@link Seasonality#periodOfDifferences}), else 1. With it:
 *
 * <ul>
 *   <li>naive: \(\hat y_{n+h} = y_n\);
 *   <li>seasonal naive: \(\hat y_{n+h} = y_{n+h-m\lceil h/m\rceil}\) (the naive forecast when m =
 *       1);
 *   <li>ETS: the AICc-selected additive-error model ({@link Ets}; seasonal candidates only when m
 *       &gt; 1);
 *   <li>Theta ({@link Theta}), deseasonalised with period m when m &gt; 1.
 * </ul>
 *
 * <p>The same m is the season of the MASE scale, so a series judged non-seasonal is scaled by its
 * in-sample one-step naive error.
 *
 * @param period the decided season m
 * @param naive the naive forecast
 * @param seasonalNaive the seasonal-naive forecast
 * @param etsModel the selected ETS model, e.g. {@code AAdN}
 * @param ets the ETS forecast
 * @param theta the Theta forecast
 */
public record BaselineForecasts(
        int period,
        double[] naive,
        double[] seasonalNaive,
        String etsModel,
        double[] ets,
        double[] theta) {

    /**
     * Forecasts with every baseline.
     *
     * @param history the values before the forecast
     * @param horizon H
     * @param candidatePeriod the natural period of the frequency
     * @return the forecasts
     * @throws InvalidHistoryException if the history is too short or not finite
     */
    public static BaselineForecasts of(double[] history, int horizon, int candidatePeriod) {
        InvalidHistoryException.check(history, 4, horizon, "The baselines");
        int m = Seasonality.periodOfDifferences(history, candidatePeriod);
        EtsFit ets = Ets.select(history, m);
        return new BaselineForecasts(
                m,
                seasonalNaive(history, horizon, 1),
                seasonalNaive(history, horizon, m),
                ets.spec().name(),
                ets.forecast(horizon),
                Theta.forecast(history, horizon, m, m > 1));
    }

    /**
     * The seasonal-naive forecast \(\hat y_{n+h} = y_{n-m+((h-1) \bmod m)}\).
     *
     * @param history y (at least m values)
     * @param horizon H
     * @param m the season (1: naive)
     * @return the forecast
     */
    public static double[] seasonalNaive(double[] history, int horizon, int m) {
        if (m < 1) {
            throw new InvalidHistoryException("A season is at least 1, got " + m);
        }
        InvalidHistoryException.check(history, m, horizon, "Seasonal naive with season " + m);
        double[] out = new double[horizon];
        int n = history.length;
        for (int h = 0; h < horizon; h++) {
            out[h] = history[n - m + (h % m)];
        }
        return out;
    }
}
