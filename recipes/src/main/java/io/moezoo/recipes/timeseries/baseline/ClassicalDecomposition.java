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
        int half = m / 2;
        for (int t = half; t + half < n; t++) {
            double trend;
            if (m % 2 == 1) {
                trend = 0;
                for (int j = -half; j <= half; j++) {
                    trend += x[t + j];
                }
            } else {
                trend = 0.5 * x[t - half] + 0.5 * x[t + half];
                for (int j = -half + 1; j < half; j++) {
                    trend += x[t + j];
                }
            }
            trend /= m;
            sum[t % m] += multiplicative ? x[t] / trend : x[t] - trend;
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
