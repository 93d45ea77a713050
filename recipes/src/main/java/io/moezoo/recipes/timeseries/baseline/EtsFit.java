package io.moezoo.recipes.timeseries.baseline;

/**
 * An additive-error ETS model fitted by maximum likelihood, as R's {@code forecast::ets} with
 * {@code opt.crit = "lik"} and {@code bounds = "both"}.
 *
 * <p><b>Model</b> (states level l, trend b, seasonal s; φ = 1 without damping, b = 0 without trend,
 * s = 0 without season): \(\hat y_t = l_{t-1} + \phi b_{t-1} + s_{t-m}\), \(e_t = y_t - \hat y_t\),
 * \(l_t = l_{t-1} + \phi b_{t-1} + \alpha e_t\), \(b_t = \phi b_{t-1} + \beta e_t\), \(s_t =
 * s_{t-m} + \gamma e_t\). Point forecasts: \(\hat y_{n+h} = l_n + (\phi + \dots + \phi^h) b_n +
 * s_{n+h-m\lceil h/m\rceil}\).
 *
 * <p><b>Estimation</b>: the parameters α, β, γ, φ and the initial states l₀, b₀ and m − 1 seasonal
 * states (the oldest, \(s_{1-m}\), is minus the sum of the others) minimise \(n \log \sum_t e_t^2\)
 * (minus twice the Gaussian log-likelihood up to a constant) with {@link NelderMead} (in logistic
 * coordinates that keep α, β, γ, φ inside their bounds, see {@code EtsObjective#decode}), within
 * the usual bounds \(10^{-4} \le \alpha \le 0.9999\), \(10^{-4} \le \beta \le \alpha\), \(10^{-4}
 * \le \gamma \le 1 - \alpha\), \(0.8 \le \phi \le 0.98\), and the admissible region of Hyndman et
 * al. (2008, ch. 10): for seasonal models the roots of \(z^{m+1} + (\alpha + \beta - \phi) z^m +
 * (\alpha + \beta - \alpha\phi) (z^{m-1} + \dots + z^2) + (\alpha + \beta - \alpha\phi + \gamma -
 * 1) z + \phi(1 - \alpha - \gamma)\) lie inside the unit circle (checked with the Schur–Cohn
 * recursion). Starting values are those of {@code forecast} 8.20: α₀ = 10⁻⁴ + 0.2·0.9998/m, β₀ =
 * 10⁻⁴ + 0.1(α₀ − 10⁻⁴), γ₀ = 10⁻⁴ + 0.05(1 − α₀ − 10⁻⁴), φ₀ = 0.9782; seasonal states from the
 * additive {@link ClassicalDecomposition} of the history; l₀ (and b₀) the mean (the least-squares
 * line at t = 0) of the first max(10, 2m) seasonally adjusted values.
 *
 * <p><b>Information criterion</b>: with k = (number of estimated parameters and states) + 1 (the
 * variance), \(AIC = n \log \sum e_t^2 + 2k\) and \(AICc = AIC + \frac{2k(k+1)}{n - k - 1}\), R's
 * definitions.
 *
 * @param spec the model
 * @param period m (1 for non-seasonal models)
 * @param alpha α
 * @param beta β (0 without trend)
 * @param gamma γ (0 without season)
 * @param phi φ (1 without damping)
 * @param states the final states after the history: {@code [l, b, s(n-m+1) … s(n)]} with the
 *     seasonal states indexed by phase {@code t mod m} ({@code states[2 + (t mod m)]})
 * @param length n
 * @param sse \(\sum e_t^2\)
 * @param parameters k − 1, the number of estimated parameters and initial states
 */
public record EtsFit(
        EtsSpec spec,
        int period,
        double alpha,
        double beta,
        double gamma,
        double phi,
        double[] states,
        int length,
        double sse,
        int parameters) {

    static final double LOWER = 1e-4;
    static final double UPPER = 0.9999;
    static final double PHI_LOWER = 0.8;
    static final double PHI_UPPER = 0.98;

    /**
     * Fits a model.
     *
     * @param spec the model
     * @param y the history (at least 3m values for a seasonal model, more than k + 1 values)
     * @param m the period (at least 2 for a seasonal model; ignored otherwise)
     * @return the fit
     * @throws InvalidHistoryException if the history is too short for the model or not finite
     */
    public static EtsFit fit(EtsSpec spec, double[] y, int m) {
        int period = spec.seasonal() ? m : 1;
        if (spec.seasonal() && m < 2) {
            throw new InvalidHistoryException("A seasonal ETS model needs a period >= 2, got " + m);
        }
        int k = 1 + (spec.trend() ? 1 : 0) + (spec.damped() ? 1 : 0) + (spec.seasonal() ? 1 : 0);
        int nStates = 1 + (spec.trend() ? 1 : 0) + (spec.seasonal() ? period - 1 : 0);
        int minLength = Math.max(spec.seasonal() ? 3 * period : 4, k + nStates + 3);
        InvalidHistoryException.check(y, minLength, 1, "ETS(" + spec.name() + ")");
        EtsObjective objective = new EtsObjective(spec, y, period);
        double[] start = EtsObjective.start(spec, y, period);
        double[] steps = objective.steps(start);
        NelderMead optimiser = new NelderMead(1e-10, 20_000);
        java.util.function.ToDoubleFunction<double[]> f =
                u -> objective.applyAsDouble(objective.decode(u));
        double[] best = null;
        double fBest = Double.POSITIVE_INFINITY;
        // forecast's start, then the same states with the smoothing parameters mid-range and
        // near their upper bounds: likelihoods of ETS models often have a second optimum there
        double[] first = objective.encode(start);
        for (double u : new double[] {Double.NaN, 0, 3}) {
            double[] from = first.clone();
            if (!Double.isNaN(u)) {
                java.util.Arrays.fill(from, 0, k, u);
            }
            if (!Double.isFinite(f.applyAsDouble(from))) {
                continue;
            }
            double[] x = optimiser.minimize(f, from, steps);
            double fx = f.applyAsDouble(x);
            if (fx < fBest) {
                best = x;
                fBest = fx;
            }
        }
        return objective.fit(objective.decode(best));
    }

    /**
     * The fit at a given parameter vector, without optimisation (to compare with another
     * implementation's estimates).
     *
     * @param spec the model
     * @param y the history
     * @param m the period (ignored for a non-seasonal model)
     * @param vector {@code [α, (β), (γ), (φ), l₀, (b₀), (s_{2-m} … s_0)]}, the seasonal states in
     *     time order (\(s_{1-m}\) is minus their sum)
     * @return the fit
     * @throws IllegalArgumentException if the vector has the wrong length
     */
    public static EtsFit at(EtsSpec spec, double[] y, int m, double[] vector) {
        int period = spec.seasonal() ? m : 1;
        if (vector.length != EtsObjective.size(spec, period)) {
            throw new IllegalArgumentException(
                    "ETS("
                            + spec.name()
                            + ") with period "
                            + period
                            + " has "
                            + EtsObjective.size(spec, period)
                            + " parameters and states, got "
                            + vector.length);
        }
        InvalidHistoryException.check(y, 1, 1, "ETS(" + spec.name() + ")");
        return new EtsObjective(spec, y, period).fit(vector);
    }

    /**
     * The point forecasts \(\hat y_{n+1} \dots \hat y_{n+H}\).
     *
     * @param horizon H ≥ 1
     * @return the forecasts
     */
    public double[] forecast(int horizon) {
        if (horizon < 1) {
            throw new InvalidHistoryException("horizon must be >= 1, got " + horizon);
        }
        double[] out = new double[horizon];
        double damp = 0;
        double power = 1;
        for (int h = 1; h <= horizon; h++) {
            power *= phi;
            damp += power;
            double s = spec.seasonal() ? states[2 + Math.floorMod(length + h - 1, period)] : 0;
            out[h - 1] = states[0] + damp * states[1] + s;
        }
        return out;
    }

    /**
     * Akaike's criterion \(n \log \sum e_t^2 + 2k\).
     *
     * @return AIC
     */
    public double aic() {
        return length * Math.log(sse) + 2.0 * (parameters + 1);
    }

    /**
     * The small-sample corrected AIC.
     *
     * @return AICc (+∞ when n ≤ k + 1)
     */
    public double aicc() {
        int k = parameters + 1;
        return length - k - 1 > 0
                ? aic() + 2.0 * k * (k + 1) / (length - k - 1)
                : Double.POSITIVE_INFINITY;
    }
}
