package io.moezoo.recipes.timeseries.baseline;

/**
 * Automatic additive-error exponential smoothing: every candidate of {@link EtsSpec#candidates} is
 * fitted by maximum likelihood ({@link EtsFit}) and the one with the smallest AICc is kept, as R's
 * {@code forecast::ets(y, additive.only = TRUE)} (whose default {@code ic} is AICc).
 *
 * <p>Seasonal candidates (ANA, AAA, AAdA) take part only when the period m is at least 2, at most
 * 24 (R's {@code ets} ignores longer seasons) and the history holds at least 3m values; the period
 * is decided beforehand, e.g. by {@link Seasonality}. Candidates whose AICc is undefined (n ≤ k +
 * 1) are skipped. Multiplicative errors and seasons are not implemented.
 */
public final class Ets {

    /** The longest season ETS models (R: "frequency too high"). */
    public static final int MAX_PERIOD = 24;

    private Ets() {}

    /**
     * Fits every candidate and returns the fit with the smallest AICc (the first on ties).
     *
     * @param y the history
     * @param m the decided period (1 when not seasonal)
     * @return the selected fit
     * @throws InvalidHistoryException if the history is too short for every candidate
     */
    public static EtsFit select(double[] y, int m) {
        InvalidHistoryException.check(y, 1, 1, "ETS");
        boolean seasonal = m >= 2 && m <= MAX_PERIOD && y.length >= 3 * m;
        EtsFit best = null;
        for (EtsSpec spec : EtsSpec.candidates(seasonal)) {
            EtsFit fit;
            try {
                fit = EtsFit.fit(spec, y, m);
            } catch (InvalidHistoryException tooShort) {
                continue;
            }
            if (Double.isFinite(fit.aicc()) && (best == null || fit.aicc() < best.aicc())) {
                best = fit;
            }
        }
        if (best == null) {
            throw new InvalidHistoryException(
                    "ETS: " + y.length + " history values are too few for any candidate model");
        }
        return best;
    }

    /**
     * The point forecasts of the AICc-selected model.
     *
     * @param y the history
     * @param horizon H
     * @param m the decided period
     * @return the forecasts
     */
    public static double[] forecast(double[] y, int horizon, int m) {
        return select(y, m).forecast(horizon);
    }
}
