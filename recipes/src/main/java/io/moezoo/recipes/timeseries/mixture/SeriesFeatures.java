package io.moezoo.recipes.timeseries.mixture;

import io.moezoo.recipes.timeseries.baseline.ClassicalDecomposition;
import io.moezoo.recipes.timeseries.baseline.InvalidHistoryException;
import io.moezoo.recipes.timeseries.baseline.Seasonality;
import java.util.List;

/**
 * The features of one history that the router sees, in the spirit of FFORMA / {@code tsfeatures}.
 * They are computed on the last {@value #WINDOW} values x of the history (all of it when shorter),
 * with the decided season m and horizon H; d denotes the first differences of x, \(r_k(\cdot)\) the
 * sample autocorrelation at lag k ({@link Seasonality#acf}), var the population variance.
 *
 * <ol>
 *   <li>{@code log_length}: \(\log_{10} n\) of the whole history;
 *   <li>{@code log_horizon}: \(\log_{10} H\);
 *   <li>{@code seasonal}: 1 if m &gt; 1 else 0;
 *   <li>{@code season_strength}: \(\max(0, 1 - var(R)/var(x - T))\) over the positions where the
 *       trend T is defined, with T the centred moving average of order m (2×m when m is even),
 *       seasonal S the additive {@link ClassicalDecomposition}, R = x − T − S; 0 when m = 1;
 *   <li>{@code trend_strength}: \(\max(0, 1 - var(R)/var(x - S))\); for m = 1 T is the centred
 *       moving average of order 5 and S = 0;
 *   <li>{@code linearity}: R² of the least-squares line of x on t;
 *   <li>{@code acf1}: \(r_1(x)\); {@code diff_acf1}: \(r_1(d)\); {@code diff_acf10}:
 *       \(\sum_{k=1}^{10} r_k(d)^2\); {@code diff_acf_season}: \(r_m(d)\) (0 when m = 1);
 *   <li>{@code drift_ratio}: \(|\bar d| / sd(d)\);
 *   <li>{@code log_noise}: \(\log_{10}(10^{-6} + sd(d) / \overline{|x|})\), clipped to [−6, 3];
 *   <li>{@code lumpiness} and {@code stability}: the variance of the variances and of the means of
 *       the non-overlapping windows of width w (m when m &gt; 1, else 10) of the standardised x;
 *   <li>{@code spikiness}: \(\log_{10}(1 + (n_R - 1)^2 var_i(v_{-i}))\) with \(v_{-i}\) the
 *       variance of the standardised remainder without its i-th value;
 *   <li>{@code last_shift}: (mean of the last min(H, n) values of x − mean of x) / sd(x);
 *   <li>{@code log_scale_ratio}: \(\ln\) of the mean |lag-1 difference| over the mean |lag-m
 *       difference| (0 when m = 1).
 * </ol>
 *
 * A constant history has sd = 0: the ratios that divide by it are 0.
 */
public final class SeriesFeatures {

    /** The number of trailing history values the features are computed on. */
    public static final int WINDOW = 1000;

    /** The feature names, in the order of {@link #of}. */
    public static final List<String> NAMES =
            List.of(
                    "log_length",
                    "log_horizon",
                    "seasonal",
                    "season_strength",
                    "trend_strength",
                    "linearity",
                    "acf1",
                    "diff_acf1",
                    "diff_acf10",
                    "diff_acf_season",
                    "drift_ratio",
                    "log_noise",
                    "lumpiness",
                    "stability",
                    "spikiness",
                    "last_shift",
                    "log_scale_ratio");

    private SeriesFeatures() {}

    /**
     * Computes the features.
     *
     * @param history the history (at least 12 finite values)
     * @param m the decided season (1 when not seasonal)
     * @param horizon H
     * @return the features in the order of {@link #NAMES}
     * @throws InvalidHistoryException if the history is too short or not finite
     */
    public static double[] of(double[] history, int m, int horizon) {
        InvalidHistoryException.check(history, 12, horizon, "Series features");
        if (m < 1) {
            throw new IllegalArgumentException("A season is at least 1, got " + m);
        }
        int from = Math.max(0, history.length - WINDOW);
        double[] x = java.util.Arrays.copyOfRange(history, from, history.length);
        int n = x.length;
        boolean seasonal = m > 1 && n >= 2 * m + 1;
        double[] d = new double[n - 1];
        for (int t = 1; t < n; t++) {
            d[t - 1] = x[t] - x[t - 1];
        }
        double[] trend = ClassicalDecomposition.movingAverage(x, seasonal ? m : 5);
        double[] season = new double[n];
        if (seasonal) {
            ClassicalDecomposition dec = ClassicalDecomposition.of(x, m, false);
            for (int t = 0; t < n; t++) {
                season[t] = dec.seasonal(t);
            }
        }
        int half = (seasonal ? m : 5) / 2;
        int defined = n - 2 * half;
        double[] remainder = new double[defined];
        double[] detrended = new double[defined];
        double[] adjusted = new double[defined];
        for (int i = 0; i < defined; i++) {
            int t = i + half;
            remainder[i] = x[t] - trend[t] - season[t];
            detrended[i] = x[t] - trend[t];
            adjusted[i] = x[t] - season[t];
        }
        double varR = variance(remainder);
        double sdX = Math.sqrt(variance(x));
        double sdD = Math.sqrt(variance(d));
        double meanAbs = 0;
        for (double v : x) {
            meanAbs += Math.abs(v) / n;
        }
        int lastCount = Math.min(horizon, n);
        double lastMean = mean(java.util.Arrays.copyOfRange(x, n - lastCount, n));
        double[] diffAcf = acf(d, Math.min(Math.max(10, m), d.length - 1));
        double diffAcf10 = 0;
        for (int k = 0; k < Math.min(10, diffAcf.length); k++) {
            diffAcf10 += diffAcf[k] * diffAcf[k];
        }
        double[] z = standardise(x);
        int width = seasonal ? m : 10;
        return new double[] {
            Math.log10(history.length),
            Math.log10(horizon),
            seasonal ? 1 : 0,
            seasonal ? strength(varR, variance(detrended)) : 0,
            strength(varR, variance(adjusted)),
            linearity(x),
            acf(x, 1)[0],
            diffAcf.length > 0 ? diffAcf[0] : 0,
            diffAcf10,
            seasonal && m - 1 < diffAcf.length ? diffAcf[m - 1] : 0,
            sdD > 0 ? Math.abs(mean(d)) / sdD : 0,
            Math.max(-6, Math.min(3, Math.log10(1e-6 + (meanAbs > 0 ? sdD / meanAbs : 0)))),
            tiledVariance(z, width, true),
            tiledVariance(z, width, false),
            spikiness(remainder),
            sdX > 0 ? (lastMean - mean(x)) / sdX : 0,
            seasonal ? logScaleRatio(x, m) : 0
        };
    }

    static double strength(double varRemainder, double varWhole) {
        return varWhole > 0 ? Math.max(0, 1 - varRemainder / varWhole) : 0;
    }

    static double linearity(double[] x) {
        int n = x.length;
        double tMean = (n - 1) / 2.0;
        double xMean = mean(x);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int t = 0; t < n; t++) {
            sxy += (t - tMean) * (x[t] - xMean);
            sxx += (t - tMean) * (t - tMean);
            syy += (x[t] - xMean) * (x[t] - xMean);
        }
        return syy > 0 ? sxy * sxy / (sxx * syy) : 0;
    }

    /** The variance of the windows' variances (lumpiness) or of their means (stability). */
    static double tiledVariance(double[] z, int width, boolean ofVariances) {
        int tiles = z.length / width;
        if (tiles < 2) {
            return 0;
        }
        double[] stat = new double[tiles];
        for (int i = 0; i < tiles; i++) {
            double[] w = java.util.Arrays.copyOfRange(z, i * width, (i + 1) * width);
            stat[i] = ofVariances ? variance(w) : mean(w);
        }
        return variance(stat);
    }

    static double spikiness(double[] remainder) {
        int n = remainder.length;
        if (n < 3) {
            return 0;
        }
        double[] r = standardise(remainder);
        double sum = 0;
        double sumSq = 0;
        for (double v : r) {
            sum += v;
            sumSq += v * v;
        }
        double[] loo = new double[n];
        for (int i = 0; i < n; i++) {
            double s = sum - r[i];
            double s2 = sumSq - r[i] * r[i];
            double mu = s / (n - 1);
            loo[i] = s2 / (n - 1) - mu * mu;
        }
        return Math.log10(1 + (double) (n - 1) * (n - 1) * variance(loo));
    }

    static double logScaleRatio(double[] x, int m) {
        double one = 0;
        for (int t = 1; t < x.length; t++) {
            one += Math.abs(x[t] - x[t - 1]) / (x.length - 1);
        }
        double seasonal = 0;
        for (int t = m; t < x.length; t++) {
            seasonal += Math.abs(x[t] - x[t - m]) / (x.length - m);
        }
        return one > 0 && seasonal > 0 ? Math.log(one / seasonal) : 0;
    }

    /** Sample autocorrelations r_1..r_maxLag (0 for a constant or too short series). */
    static double[] acf(double[] x, int maxLag) {
        if (maxLag < 1 || x.length <= maxLag) {
            return new double[Math.max(0, maxLag)];
        }
        return Seasonality.acf(x, maxLag);
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** The population variance (divisor n). */
    static double variance(double[] x) {
        if (x.length == 0) {
            return 0;
        }
        double mu = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - mu) * (v - mu);
        }
        return s / x.length;
    }

    static double[] standardise(double[] x) {
        double mu = mean(x);
        double sd = Math.sqrt(variance(x));
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = sd > 0 ? (x[i] - mu) / sd : 0;
        }
        return out;
    }
}
