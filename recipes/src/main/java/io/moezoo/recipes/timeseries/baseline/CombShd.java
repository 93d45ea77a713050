package io.moezoo.recipes.timeseries.baseline;

import java.util.List;

/**
 * Comb S-H-D, the combination benchmark of the M3 competition (Makridakis and Hibon 2000), also an
 * M4 benchmark: the equal-weight mean of simple exponential smoothing, Holt's linear trend and the
 * damped trend, \(\hat y_{n+h} = \frac13(\hat y^{\mathrm{SES}}_{n+h} + \hat y^{\mathrm{Holt}}_{n+h}
 * + \hat y^{\mathrm{Damped}}_{n+h})\).
 *
 * <p>As for {@link Theta}, a seasonal history is first divided by its multiplicative {@link
 * ClassicalDecomposition} seasonal component ({@link ClassicalDecomposition#benchmarkAdjustment}),
 * the three models (ETS(A,N,N), ETS(A,A,N), ETS(A,Ad,N), each fitted by maximum likelihood with
 * {@link EtsFit}) forecast the adjusted series, and their mean is multiplied back by the seasonal
 * component of the same phase. A model that cannot be fitted (too short a history for its
 * parameters) is left out of the mean; SES needs the fewest values.
 */
public final class CombShd {

    private CombShd() {}

    /**
     * Forecasts with Comb S-H-D and a seasonality decided by the caller.
     *
     * @param y the history (at least 4 values, more than 2m when seasonal)
     * @param horizon H
     * @param m the period
     * @param seasonal whether to deseasonalise with period m
     * @return the point forecasts
     * @throws InvalidHistoryException if the history is too short or not finite
     */
    public static double[] forecast(double[] y, int horizon, int m, boolean seasonal) {
        double[][] parts = components(y, horizon, m, seasonal);
        double[] out = new double[horizon];
        int models = 0;
        for (double[] part : parts) {
            if (part == null) {
                continue;
            }
            for (int h = 0; h < horizon; h++) {
                out[h] += part[h];
            }
            models++;
        }
        for (int h = 0; h < horizon; h++) {
            out[h] /= models;
        }
        return out;
    }

    /**
     * The three forecasts that Comb S-H-D averages, each put back into season: SES, Holt and damped
     * trend, in that order; a model that cannot be fitted is null.
     *
     * @param y the history (at least 4 values, more than 2m when seasonal)
     * @param horizon H
     * @param m the period
     * @param seasonal whether to deseasonalise with period m
     * @return {@code [3][H]}, SES never null
     * @throws InvalidHistoryException if the history is too short or not finite
     */
    public static double[][] components(double[] y, int horizon, int m, boolean seasonal) {
        InvalidHistoryException.check(y, 4, horizon, "Comb S-H-D");
        ClassicalDecomposition decomposition =
                ClassicalDecomposition.benchmarkAdjustment(y, m, seasonal);
        double[] x = decomposition == null ? y : decomposition.adjust(y);
        List<EtsSpec> specs = EtsSpec.candidates(false);
        double[][] out = new double[specs.size()][];
        for (int i = 0; i < specs.size(); i++) {
            double[] f;
            try {
                f = EtsFit.fit(specs.get(i), x, 1).forecast(horizon);
            } catch (InvalidHistoryException tooShort) {
                continue;
            }
            if (decomposition != null) {
                for (int h = 0; h < horizon; h++) {
                    f[h] *= decomposition.seasonal(y.length + h);
                }
            }
            out[i] = f;
        }
        if (out[0] == null) {
            throw new InvalidHistoryException(
                    "Comb S-H-D: " + y.length + " history values are too few for SES");
        }
        return out;
    }
}
