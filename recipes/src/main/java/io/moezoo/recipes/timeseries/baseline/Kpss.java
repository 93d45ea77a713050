package io.moezoo.recipes.timeseries.baseline;

/**
 * The KPSS test of level stationarity (Kwiatkowski, Phillips, Schmidt and Shin 1992) and the number
 * of first differences it asks for, as R's {@code forecast::ndiffs(x, test = "kpss")} with {@code
 * urca::ur.kpss(type = "mu")}.
 *
 * <p>With \(e_t = x_t - \bar x\), partial sums \(S_t = \sum_{i \le t} e_i\) and the Bartlett
 * long-run variance \(\hat\sigma^2 = \frac1n \sum e_t^2 + \frac2n \sum_{l=1}^{L} (1 -
 * \frac{l}{L+1}) \sum_{t>l} e_t e_{t-l}\) with \(L = \lfloor 3\sqrt n / 13 \rfloor\), the statistic
 * is \(\eta = \sum S_t^2 / (n^2 \hat\sigma^2)\). Stationarity is rejected at 5% when \(\eta\)
 * exceeds 0.463 (the test's 5% critical value; R interpolates a p-value in the table 0.347 / 0.463
 * / 0.574 / 0.739 and compares it with 0.05, which is the same decision).
 */
public final class Kpss {

    /** The 5% critical value of the level-stationarity statistic. */
    public static final double CRITICAL_5PCT = 0.463;

    private Kpss() {}

    /**
     * The level-stationarity statistic η.
     *
     * @param x the series (at least 2 values, not constant)
     * @return η
     */
    public static double statistic(double[] x) {
        int n = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v / n;
        }
        double[] e = new double[n];
        double partial = 0;
        double sumS2 = 0;
        double s2 = 0;
        for (int t = 0; t < n; t++) {
            e[t] = x[t] - mean;
            partial += e[t];
            sumS2 += partial * partial;
            s2 += e[t] * e[t];
        }
        int lags = (int) Math.floor(3 * Math.sqrt(n) / 13);
        double longRun = s2 / n;
        for (int l = 1; l <= lags; l++) {
            double cov = 0;
            for (int t = l; t < n; t++) {
                cov += e[t] * e[t - l];
            }
            longRun += 2.0 / n * (1 - l / (lags + 1.0)) * cov;
        }
        return sumS2 / ((double) n * n) / longRun;
    }

    /**
     * How many first differences make x level-stationary: difference while the KPSS test rejects at
     * 5%, at most {@code maxD} times, stopping early when a difference is constant.
     *
     * @param x the series
     * @param maxD the most differences
     * @return d in [0, maxD]
     */
    public static int differences(double[] x, int maxD) {
        double[] w = x;
        int d = 0;
        if (constant(w)) {
            return 0;
        }
        while (d < maxD && w.length > 1 && statistic(w) > CRITICAL_5PCT) {
            w = difference(w, 1);
            d++;
            if (constant(w)) {
                return d;
            }
        }
        return d;
    }

    /**
     * The lag-k difference \(x_t - x_{t-k}\).
     *
     * @param x the series
     * @param k the lag
     * @return {@code x.length - k} values (empty when x is not longer than k)
     */
    public static double[] difference(double[] x, int k) {
        double[] out = new double[Math.max(0, x.length - k)];
        for (int t = k; t < x.length; t++) {
            out[t - k] = x[t] - x[t - k];
        }
        return out;
    }

    /**
     * Whether every value equals the first (R's {@code is.constant}); true for an empty series.
     *
     * @param x the series
     * @return whether x is constant
     */
    public static boolean constant(double[] x) {
        for (double v : x) {
            if (v != x[0]) {
                return false;
            }
        }
        return true;
    }
}
