package io.moezoo.recipes.timeseries.baseline;

/**
 * Classical seasonal decomposition by moving averages, as R's {@code stats::decompose}.
 *
 * <p>The trend is the centred moving average of order m: for odd m \(T_t = \frac1m
 * \sum_{j=-(m-1)/2}^{(m-1)/2} x_{t+j}\), for even m the 2×m average \(T_t = \frac1m(\frac12
 * x_{t-m/2} + \sum_{j=-m/2+1}^{m/2-1} x_{t+j} + \frac12 x_{t+m/2})\), undefined within m/2 of
 * either end. The detrended values are \(x_t - T_t\) (additive) or \(x_t / T_t\) (multiplicative);
 * the seasonal figure of phase i (positions i, i + m, … counted from the first value) is their
 * mean, normalised to sum 0 (additive) or to mean 1 (multiplicative). The seasonal component
 * repeats the figure: \(S_t = F_{t \bmod m}\).
 *
 * @param figure the normalised seasonal figure, one value per phase {@code t mod m}
 * @param multiplicative whether the decomposition is multiplicative
 */
public record ClassicalDecomposition(double[] figure, boolean multiplicative) {

    /**
     * Decomposes x.
     *
     * @param x the series, at least 2m values
     * @param m the period, at least 2
     * @param multiplicative multiplicative (x = T·S·R) or additive (x = T + S + R)
     * @return the decomposition
     * @throws InvalidHistoryException if x has fewer than two periods or is not finite
     */
    public static ClassicalDecomposition of(double[] x, int m, boolean multiplicative) {
        if (m < 2) {
            throw new InvalidHistoryException("A decomposition needs a period >= 2, got " + m);
        }
        InvalidHistoryException.check(x, 2 * m, 1, "A decomposition with period " + m);
        int n = x.length;
        double[] sum = new double[m];
        int[] count = new int[m];
        double[] trend = movingAverage(x, m);
        for (int t = m / 2; t + m / 2 < n; t++) {
            sum[t % m] += multiplicative ? x[t] / trend[t] : x[t] - trend[t];
            count[t % m]++;
        }
        double[] figure = new double[m];
        double mean = 0;
        for (int i = 0; i < m; i++) {
            figure[i] = sum[i] / count[i];
            mean += figure[i] / m;
        }
        for (int i = 0; i < m; i++) {
            figure[i] = multiplicative ? figure[i] / mean : figure[i] - mean;
        }
        return new ClassicalDecomposition(figure, multiplicative);
    }

    /**
     * The multiplicative decomposition that the M3/M4 benchmarks (Theta, Comb S-H-D) divide out
     * before smoothing: period m when {@code seasonal} and m ≥ 2, unless a seasonal index lies
     * below 10⁻⁴ in absolute value (then none, as R's {@code thetaf}).
     *
     * @param y the history (more than 2m values when seasonal)
     * @param m the period
     * @param seasonal whether the history was judged seasonal with period m
     * @return the decomposition, or null when the history stays unadjusted
     */
    public static ClassicalDecomposition benchmarkAdjustment(double[] y, int m, boolean seasonal) {
        if (!seasonal || m < 2) {
            return null;
        }
        ClassicalDecomposition d = of(y, m, true);
        for (double f : d.figure()) {
            if (Math.abs(f) < 1e-4) {
                return null;
            }
        }
        return d;
    }

    /**
     * The centred moving average of order k (2×k when k is even), the trend of the decomposition;
     * NaN within k/2 of either end.
     *
     * @param x the series
     * @param k the order, at least 1
     * @return T, of x's length
     */
    public static double[] movingAverage(double[] x, int k) {
        double[] out = new double[x.length];
        java.util.Arrays.fill(out, Double.NaN);
        int half = k / 2;
        for (int t = half; t + half < x.length; t++) {
            double s = 0;
            if (k % 2 == 1) {
                for (int j = -half; j <= half; j++) {
                    s += x[t + j];
                }
            } else {
                s = 0.5 * x[t - half] + 0.5 * x[t + half];
                for (int j = -half + 1; j < half; j++) {
                    s += x[t + j];
                }
            }
            out[t] = s / k;
        }
        return out;
    }

    /**
     * The strength of the additive seasonal component (Wang, Smith and Hyndman 2006), \(\max(0, 1 -
     * \mathrm{var}(R) / \mathrm{var}(S + R))\) over the positions where the trend is defined, with
     * \(S + R = x - T\) and \(R = x - T - S\).
     *
     * @param x the series, at least 2m values
     * @param m the period, at least 2
     * @return the strength in [0, 1]
     */
    public static double seasonalStrength(double[] x, int m) {
        ClassicalDecomposition d = of(x, m, false);
        double[] trend = movingAverage(x, m);
        int half = m / 2;
        int count = x.length - 2 * half;
        double[] detrended = new double[count];
        double[] remainder = new double[count];
        for (int i = 0; i < count; i++) {
            int t = i + half;
            detrended[i] = x[t] - trend[t];
            remainder[i] = detrended[i] - d.seasonal(t);
        }
        double whole = variance(detrended);
        return whole > 0 ? Math.max(0, 1 - variance(remainder) / whole) : 0;
    }

    private static double variance(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double s = 0;
        for (double v : x) {
            s += (v - mean) * (v - mean);
        }
        return s / (x.length - 1);
    }

    /**
     * The period m.
     *
     * @return m
     */
    public int period() {
        return figure.length;
    }

    /**
     * The seasonal component at position t (0-based from the first value of the decomposed series;
     * t may lie beyond it).
     *
     * @param t the position
     * @return \(S_t\)
     */
    public double seasonal(int t) {
        return figure[Math.floorMod(t, figure.length)];
    }

    /**
     * The seasonally adjusted series \(x_t - S_t\) or \(x_t / S_t\).
     *
     * @param x the series that was decomposed
     * @return the adjusted copy
     */
    public double[] adjust(double[] x) {
        double[] out = new double[x.length];
        for (int t = 0; t < x.length; t++) {
            out[t] = multiplicative ? x[t] / seasonal(t) : x[t] - seasonal(t);
        }
        return out;
    }
}
