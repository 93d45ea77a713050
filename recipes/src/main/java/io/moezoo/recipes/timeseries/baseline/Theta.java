package io.moezoo.recipes.timeseries.baseline;

/**
 * The Theta method of Assimakopoulos and Nikolopoulos (2000) in the form of Hyndman and Billah
 * (2003), as R's {@code forecast::thetaf} and the M4 benchmark.
 *
 * <ol>
 *   <li>If the series is seasonal with the candidate period m ({@link Seasonality#isSeasonal}, the
 *       test on the levels, n &gt; 2m), it is divided by the multiplicative {@link
 *       ClassicalDecomposition} seasonal component, unless a seasonal index is below 10⁻⁴ (then the
 *       method stays non-seasonal, as {@code thetaf});
 *   <li>simple exponential smoothing (ETS(A,N,N), α and l₀ by maximum likelihood, {@link EtsFit})
 *       of the adjusted series x gives the flat forecast \(\tilde y\) and α;
 *   <li>half the slope b of the least-squares line of x on t = 0 … n − 1 is added as drift: \(\hat
 *       y_{n+h} = \tilde y + \frac b2 \left(h - 1 + \frac{1 - (1-\alpha)^n}{\alpha}\right)\) (α
 *       floored at 10⁻¹⁰);
 *   <li>the forecast is multiplied by the seasonal component of the same phase.
 * </ol>
 */
public final class Theta {

    private Theta() {}

    /**
     * Forecasts with the Theta method; the seasonality test of step 1 runs on y.
     *
     * @param y the history (at least 4 values)
     * @param horizon H
     * @param candidate the natural period of the frequency (1: never seasonal)
     * @return the point forecasts
     * @throws InvalidHistoryException if the history is too short or not finite
     */
    public static double[] forecast(double[] y, int horizon, int candidate) {
        return forecast(y, horizon, candidate, Seasonality.isSeasonal(y, candidate));
    }

    /**
     * Forecasts with the Theta method and a seasonality decided by the caller.
     *
     * @param y the history (at least 4 values, more than 2m when seasonal)
     * @param horizon H
     * @param m the period
     * @param seasonal whether to deseasonalise with period m
     * @return the point forecasts
     * @throws InvalidHistoryException if the history is too short or not finite
     */
    public static double[] forecast(double[] y, int horizon, int m, boolean seasonal) {
        InvalidHistoryException.check(y, 4, horizon, "Theta");
        int n = y.length;
        ClassicalDecomposition decomposition =
                ClassicalDecomposition.benchmarkAdjustment(y, m, seasonal);
        double[] x = decomposition == null ? y : decomposition.adjust(y);
        EtsFit ses = EtsFit.fit(EtsSpec.ANN, x, 1);
        double alpha = Math.max(1e-10, ses.alpha());
        double tMean = (n - 1) / 2.0;
        double xMean = 0;
        for (double v : x) {
            xMean += v / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int t = 0; t < n; t++) {
            sxy += (t - tMean) * (x[t] - xMean);
            sxx += (t - tMean) * (t - tMean);
        }
        double drift = sxy / sxx / 2;
        double[] flat = ses.forecast(horizon);
        double start = (1 - Math.pow(1 - alpha, n)) / alpha;
        double[] out = new double[horizon];
        for (int h = 1; h <= horizon; h++) {
            out[h - 1] = flat[h - 1] + drift * (h - 1 + start);
            if (decomposition != null) {
                out[h - 1] *= decomposition.seasonal(n + h - 1);
            }
        }
        return out;
    }
}
