package io.moezoo.recipes.timeseries.baseline;

import java.util.Locale;

/**
 * Decides from the data whether a series is seasonal with the natural period of its frequency.
 *
 * <p>The candidate period m is the natural cycle of the sampling frequency ({@link
 * #naturalPeriod}): 12 for monthly, 4 for quarterly, 52 for weekly, 7 for daily, 24 for hourly
 * data, 1 (never seasonal) for yearly data. The test is the one of the M4 Theta benchmark and of
 * R's {@code forecast::thetaf}: with the sample autocorrelations (mean-centred, divided by the
 * lag-0 sum, as R's {@code acf})
 *
 * <p>\(r_k = \frac{\sum_{t=1}^{n-k} (x_t - \bar x)(x_{t+k} - \bar x)}{\sum_{t=1}^{n} (x_t - \bar
 * x)^2}\),
 *
 * <p>the series is seasonal when \(|r_m| > 1.645 \sqrt{(1 + 2 \sum_{k=1}^{m-1} r_k^2) / n}\), the
 * 90% two-sided bound of Bartlett's formula for the standard error of \(r_m\) under a moving
 * average of order m − 1 (no seasonality), and when n &gt; 2m (as {@code thetaf}; shorter series
 * and constant series are not seasonal).
 *
 * <p>{@link #period} applies the test to the history itself ({@code thetaf} and M4 do so), which
 * keeps the Java Theta method identical to R's. {@link #periodOfDifferences} applies it to the
 * first differences \(x_t - x_{t-1}\): a trending or persistent series has large \(r_k\) at every
 * lag, so on the levels the test also calls seasonally adjusted, trending series (e.g. employment
 * counts) seasonal; differencing removes the trend and keeps a seasonal cycle. The evaluation of
 * the zoo's forecaster uses the test on differences (see {@code BaselineEvaluation}).
 */
public final class Seasonality {

    /** The two-sided 90% normal quantile of the test, {@code qnorm(0.95)}. */
    public static final double Z90 = 1.6448536269514722;

    private Seasonality() {}

    /**
     * The natural period of a frequency string.
     *
     * @param freq {@code Y}/{@code A} yearly, {@code Q} quarterly, {@code M} monthly, {@code W}
     *     weekly, {@code D} daily, {@code H} hourly (case-insensitive; pandas-style prefixes such
     *     as {@code MS} or {@code W-SUN} count by their first letter)
     * @return 1, 4, 12, 52, 7 or 24
     * @throws IllegalArgumentException if the frequency is unknown
     */
    public static int naturalPeriod(String freq) {
        if (freq == null || freq.isBlank()) {
            throw new IllegalArgumentException("A frequency string is needed, got " + freq);
        }
        return switch (freq.toUpperCase(Locale.ROOT).charAt(0)) {
            case 'Y', 'A' -> 1;
            case 'Q' -> 4;
            case 'M' -> 12;
            case 'W' -> 52;
            case 'D', 'B' -> 7;
            case 'H' -> 24;
            default ->
                    throw new IllegalArgumentException(
                            "Unknown frequency '" + freq + "': expected Y, Q, M, W, D or H");
        };
    }

    /**
     * The sample autocorrelations \(r_1 \dots r_{maxLag}\) (R's {@code acf}).
     *
     * @param x the series (not constant, longer than maxLag)
     * @param maxLag the largest lag
     * @return {@code r[k-1]} = \(r_k\)
     * @throws InvalidHistoryException if the series is too short or not finite
     */
    public static double[] acf(double[] x, int maxLag) {
        InvalidHistoryException.check(x, maxLag + 1, 1, "acf up to lag " + maxLag);
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double c0 = 0;
        for (double v : x) {
            c0 += (v - mean) * (v - mean);
        }
        double[] r = new double[maxLag];
        for (int k = 1; k <= maxLag; k++) {
            double c = 0;
            for (int t = 0; t + k < x.length; t++) {
                c += (x[t] - mean) * (x[t + k] - mean);
            }
            r[k - 1] = c0 > 0 ? c / c0 : 0;
        }
        return r;
    }

    /**
     * The test statistic \(|r_m| / \sqrt{(1 + 2 \sum_{k &lt; m} r_k^2)/n}\), compared with {@link
     * #Z90}.
     *
     * @param x the series (longer than m)
     * @param m the candidate period, at least 2
     * @return the statistic (0 for a constant series)
     */
    public static double statistic(double[] x, int m) {
        if (m < 2) {
            throw new IllegalArgumentException("A seasonal period is at least 2, got " + m);
        }
        double[] r = acf(x, m);
        double sum = 0;
        for (int k = 0; k < m - 1; k++) {
            sum += r[k] * r[k];
        }
        return Math.abs(r[m - 1]) / Math.sqrt((1 + 2 * sum) / x.length);
    }

    /**
     * Whether x is seasonal with period m: m &gt; 1, n &gt; 2m, x not constant, statistic &gt;
     * {@link #Z90}.
     *
     * @param x the series
     * @param m the candidate period
     * @return true if seasonal
     */
    public static boolean isSeasonal(double[] x, int m) {
        if (m < 2 || x.length <= 2 * m || constant(x)) {
            return false;
        }
        return statistic(x, m) > Z90;
    }

    /**
     * The test on the levels, as {@code forecast::thetaf}.
     *
     * @param history the series
     * @param candidate the natural period
     * @return candidate if seasonal, else 1
     */
    public static int period(double[] history, int candidate) {
        return isSeasonal(history, candidate) ? candidate : 1;
    }

    /**
     * The test on the first differences \(x_t - x_{t-1}\).
     *
     * @param history the series
     * @param candidate the natural period
     * @return candidate if the differences are seasonal, else 1
     */
    public static int periodOfDifferences(double[] history, int candidate) {
        if (history.length < 2) {
            return 1;
        }
        double[] d = new double[history.length - 1];
        for (int t = 1; t < history.length; t++) {
            d[t - 1] = history[t] - history[t - 1];
        }
        return isSeasonal(d, candidate) ? candidate : 1;
    }

    static boolean constant(double[] x) {
        for (double v : x) {
            if (v != x[0]) {
                return false;
            }
        }
        return true;
    }
}
