package io.moezoo.recipes.timeseries.baseline;

import java.util.HashSet;
import java.util.Set;

/**
 * Automatic seasonal ARIMA by the stepwise search of Hyndman and Khandakar (2008), as R's {@code
 * forecast::auto.arima(y, method = "CSS", approximation = FALSE)} (forecast 8.20), every candidate
 * fitted by {@link ArimaFit} and compared by AICc.
 *
 * <ol>
 *   <li>Seasonal differences D ∈ {0, 1}: 1 when m ≥ 2, the history is longer than 2m and the
 *       strength of its additive seasonal component exceeds 0.64 (R's {@code nsdiffs} "seas"
 *       heuristic, which measures the strength on an STL decomposition; here {@link
 *       ClassicalDecomposition#seasonalStrength}).
 *   <li>First differences d ≤ 2 of the seasonally differenced series by repeated KPSS tests at 5%
 *       ({@link Kpss#differences}).
 *   <li>A constant (mean or drift) is allowed when d + D ≤ 1. Orders are bounded by p, q ≤ 5 and P,
 *       Q ≤ 2, each at most a third of the history (in seasons for P and Q), and p, q &lt; m when a
 *       seasonal order is possible.
 *   <li>Start from ARIMA(2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0) and (0,d,1)(0,D,1) with the
 *       constant, and (0,d,0)(0,D,0) without it; then, from the best model, try its neighbours in
 *       R's order (P ± 1, Q ± 1, both, p ± 1, q ± 1, both, the constant toggled), move to the first
 *       that lowers the AICc and start the neighbours again, until none does or 94 models have been
 *       fitted.
 * </ol>
 *
 * When the differenced history is constant the model is fixed as R fixes it: a random walk (with
 * the mean difference as drift when d + D = 1). R's further check that a fit's coefficient
 * variances are positive (from the optimiser's Hessian) is not made; where R would return a model
 * without a finite AICc this search fails instead.
 */
public final class AutoArima {

    private static final int MAX_P = 5;
    private static final int MAX_SEASONAL_P = 2;
    private static final int MAX_MODELS = 94;
    private static final double SEASONAL_STRENGTH = 0.64;

    private final double[] y;
    private final int m;
    private final int d;
    private final int seasonalD;
    private final Set<ArimaSpec> tried = new HashSet<>();
    private ArimaFit best;
    private ArimaSpec current;
    private double bestAicc = Double.POSITIVE_INFINITY;

    private AutoArima(double[] y, int m, int d, int seasonalD) {
        this.y = y;
        this.m = m;
        this.d = d;
        this.seasonalD = seasonalD;
    }

    /**
     * Selects and fits a model.
     *
     * @param y the history (at least 4 values)
     * @param m the decided period (1 when not seasonal)
     * @return the selected fit
     * @throws InvalidHistoryException if the history is too short or no model can be fitted
     */
    public static ArimaFit select(double[] y, int m) {
        InvalidHistoryException.check(y, 4, 1, "ARIMA");
        if (m < 1) {
            throw new InvalidHistoryException("A season is at least 1, got " + m);
        }
        int n = y.length;
        if (Kpss.constant(y)) {
            return ArimaFit.at(new ArimaSpec(0, 0, 0, 0, 0, 0, 1, true), y, new double[] {y[0]});
        }
        int seasonalD =
                m > 1
                                && n > 2 * m
                                && ClassicalDecomposition.seasonalStrength(y, m) > SEASONAL_STRENGTH
                        ? 1
                        : 0;
        double[] dx = seasonalD > 0 ? Kpss.difference(y, m) : y;
        int d = Kpss.differences(dx, 2);
        for (int i = 0; i < d; i++) {
            dx = Kpss.difference(dx, 1);
        }
        if (Kpss.constant(dx)) {
            return constantDifferences(y, dx, d, seasonalD, m);
        }
        return new AutoArima(y, m, d, seasonalD).search();
    }

    /**
     * The point forecasts of the selected model.
     *
     * @param y the history
     * @param horizon H
     * @param m the decided period
     * @return the forecasts
     */
    public static double[] forecast(double[] y, int horizon, int m) {
        InvalidHistoryException.check(y, 4, horizon, "ARIMA");
        return select(y, m).forecast(horizon);
    }

    private static ArimaFit constantDifferences(
            double[] y, double[] dx, int d, int seasonalD, int m) {
        double mean = 0;
        for (double v : dx) {
            mean += v / dx.length;
        }
        boolean drift = d + seasonalD == 1;
        ArimaSpec spec = new ArimaSpec(0, d, 0, 0, seasonalD, 0, m, drift);
        double[] c = drift ? new double[] {seasonalD > 0 ? mean / m : mean} : new double[0];
        return ArimaFit.at(spec, y, c);
    }

    private ArimaFit search() {
        int n = y.length;
        int maxP = Math.min(MAX_P, n / 3);
        int maxQ = maxP;
        int maxSeasonal = m > 1 ? Math.min(MAX_SEASONAL_P, n / 3 / m) : 0;
        if (maxSeasonal > 0) {
            maxP = Math.min(maxP, m - 1);
            maxQ = Math.min(maxQ, m - 1);
        }
        boolean allowConstant = d + seasonalD <= 1;
        int start = n < 10 ? 1 : 2;
        int startSeasonal = Math.min(n < 10 ? 0 : 1, maxSeasonal);
        boolean c = allowConstant;
        consider(
                Math.min(start, maxP),
                Math.min(start, maxQ),
                startSeasonal,
                startSeasonal,
                c,
                true);
        consider(0, 0, 0, 0, c, false);
        if (maxP > 0 || maxSeasonal > 0) {
            consider(maxP > 0 ? 1 : 0, 0, maxSeasonal > 0 ? 1 : 0, 0, c, false);
        }
        if (maxQ > 0 || maxSeasonal > 0) {
            consider(0, maxQ > 0 ? 1 : 0, 0, maxSeasonal > 0 ? 1 : 0, c, false);
        }
        if (c) {
            consider(0, 0, 0, 0, false, false);
        }
        while (tried.size() < MAX_MODELS && step(maxP, maxQ, maxSeasonal, allowConstant)) {
            // each step moves to a better neighbour; the loop ends when none is better
        }
        if (!(bestAicc < Double.POSITIVE_INFINITY)) {
            throw new InvalidHistoryException(
                    "ARIMA: no admissible model with an AICc for " + n + " history values");
        }
        return best;
    }

    /** The neighbour moves (Δp, Δq, ΔP, ΔQ) in R's order. */
    private static final int[][] MOVES = {
        {0, 0, -1, 0}, {0, 0, 0, -1}, {0, 0, 1, 0}, {0, 0, 0, 1},
        {0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
        {-1, 0, 0, 0}, {0, -1, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
        {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0}
    };

    /** Tries the neighbours of the current model in R's order; true after the first improvement. */
    private boolean step(int maxP, int maxQ, int maxS, boolean allowConstant) {
        ArimaSpec at = current;
        for (int[] mv : MOVES) {
            int p = at.p() + mv[0];
            int q = at.q() + mv[1];
            int sp = at.seasonalP() + mv[2];
            int sq = at.seasonalQ() + mv[3];
            if (p < 0 || q < 0 || sp < 0 || sq < 0 || p > maxP || q > maxQ || sp > maxS
                    || sq > maxS) {
                continue;
            }
            if (tried.size() >= MAX_MODELS) {
                return false;
            }
            if (consider(p, q, sp, sq, at.constant(), false)) {
                return true;
            }
        }
        return allowConstant
                && tried.size() < MAX_MODELS
                && consider(at.p(), at.q(), at.seasonalP(), at.seasonalQ(), !at.constant(), false);
    }

    /**
     * Fits a model unless it was tried before; true when its AICc is below the best so far (it then
     * becomes the best and the current model). The first model always becomes both (R's starting
     * point), even when it cannot be fitted.
     */
    private boolean consider(int p, int q, int sp, int sq, boolean c, boolean first) {
        ArimaSpec spec = new ArimaSpec(p, d, q, sp, seasonalD, sq, m, c);
        if (first) {
            current = spec;
        }
        if (!tried.add(spec) && !first) {
            return false;
        }
        ArimaFit fit;
        try {
            fit = ArimaFit.fit(spec, y);
        } catch (InvalidHistoryException tooShort) {
            return false;
        }
        double aicc = fit.aicc();
        if (first || aicc < bestAicc) {
            best = fit;
            bestAicc = aicc;
            current = spec;
            return true;
        }
        return false;
    }
}
