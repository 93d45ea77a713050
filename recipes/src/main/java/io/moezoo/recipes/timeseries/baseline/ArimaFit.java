package io.moezoo.recipes.timeseries.baseline;

/**
 * A seasonal ARIMA model ({@link ArimaSpec}) fitted by conditional sum of squares, as R's {@code
 * stats::arima(method = "CSS")}, the estimator {@code forecast::auto.arima} uses on long or
 * high-frequency series.
 *
 * <p><b>Residuals</b>: with the constant removed, \(z_t = y_t - c_t\), and differenced, \(w =
 * (1-B)^d(1-B^m)^D z\), the residuals are \(e_t = w_t - \sum_j \varphi_j w_{t-j} - \sum_j
 * \vartheta_j e_{t-j}\) for t from n_c = d + Dm + p + Pm on, with \(e_t = 0\) before n_c, where φ
 * and ϑ are the coefficients of the expanded products \(1 - \sum_j \varphi_j B^j =
 * \phi(B)\Phi(B^m)\) and \(1 + \sum_j \vartheta_j B^j = \theta(B)\Theta(B^m)\). The coefficients
 * minimise \(\hat\sigma^2 = \frac1{n - n_c} \sum_{t \ge n_c} e_t^2\) ({@link NelderMead} from zero
 * ARMA coefficients and the least-squares constant of the differenced series).
 *
 * <p><b>Information criterion</b> ({@code forecast}'s for CSS fits): with \(n^* = n - d - Dm\) and
 * k the coefficients plus one for the variance, \(AIC = n^* \ln\hat\sigma^2 + 2k\) and \(AICc = AIC
 * + \frac{2k(k+1)}{n^* - k - 1}\). A fit whose AR or MA polynomial has a root of modulus below 1.01
 * is not admissible (its AICc is +∞), as in {@code forecast}.
 *
 * <p><b>Forecasts</b>: the ARMA recursion continued with future shocks 0, then the differences
 * undone and the constant put back. R forecasts a CSS fit with the Kalman filter of the exact
 * likelihood instead; the two agree once the start-up of the residuals has died out.
 */
public final class ArimaFit {

    private static final double ROOT_MARGIN = 1.01;

    private final ArimaSpec spec;
    private final double[] coefficients;
    private final double[] y;
    private final double sigma2;

    private ArimaFit(ArimaSpec spec, double[] coefficients, double[] y, double sigma2) {
        this.spec = spec;
        this.coefficients = coefficients;
        this.y = y;
        this.sigma2 = sigma2;
    }

    /**
     * Fits a model by conditional sum of squares.
     *
     * @param spec the orders
     * @param y the history
     * @return the fit
     * @throws InvalidHistoryException if the history leaves no more residuals than coefficients
     */
    public static ArimaFit fit(ArimaSpec spec, double[] y) {
        checkLength(spec, y);
        int k = spec.coefficientCount();
        double[] start = new double[k];
        double[] steps = new double[k];
        java.util.Arrays.fill(steps, 0.1);
        if (spec.constant()) {
            double[] ols = constantByLeastSquares(spec, y);
            start[k - 1] = ols[0];
            steps[k - 1] = ols[1] > 0 ? 2 * ols[1] : 1e-3 * Math.max(1, Math.abs(ols[0]));
        }
        if (k == 0) {
            return at(spec, y, start);
        }
        if (!Double.isFinite(meanSquare(spec, y, start))) {
            throw new InvalidHistoryException(
                    spec.name() + ": the residuals of the history overflow (values too large)");
        }
        double[] best =
                new NelderMead(1e-10, 400 * (k + 1))
                        .minimize(c -> meanSquare(spec, y, c), start, steps);
        return at(spec, y, best);
    }

    /**
     * The model with given coefficients (no estimation), e.g. R's estimates.
     *
     * @param spec the orders
     * @param y the history
     * @param coefficients φ₁…φ_p, θ₁…θ_q, Φ₁…Φ_P, Θ₁…Θ_Q, then the mean or drift (R's order)
     * @return the fit
     */
    public static ArimaFit at(ArimaSpec spec, double[] y, double[] coefficients) {
        checkLength(spec, y);
        if (coefficients.length != spec.coefficientCount()) {
            throw new IllegalArgumentException(
                    spec.name()
                            + " has "
                            + spec.coefficientCount()
                            + " coefficients, got "
                            + coefficients.length);
        }
        return new ArimaFit(
                spec, coefficients.clone(), y.clone(), meanSquare(spec, y, coefficients));
    }

    private static void checkLength(ArimaSpec spec, double[] y) {
        InvalidHistoryException.check(y, 2, 1, spec.name());
        int residuals = y.length - conditioning(spec);
        if (residuals <= spec.coefficientCount() + 1) {
            throw new InvalidHistoryException(
                    spec.name()
                            + ": "
                            + y.length
                            + " history values leave "
                            + residuals
                            + " residuals for "
                            + spec.coefficientCount()
                            + " coefficients");
        }
    }

    /** n_c = d + Dm + p + Pm: the values before the first residual. */
    static int conditioning(ArimaSpec s) {
        return s.differencedAway() + s.p() + s.seasonalP() * s.period();
    }

    /**
     * The orders.
     *
     * @return the spec
     */
    public ArimaSpec spec() {
        return spec;
    }

    /**
     * The coefficients in R's order (AR, MA, seasonal AR, seasonal MA, constant).
     *
     * @return a copy
     */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /**
     * \(\hat\sigma^2\), the mean square of the conditional residuals.
     *
     * @return the variance estimate
     */
    public double sigma2() {
        return sigma2;
    }

    /**
     * The AICc of the fit, +∞ when it is not admissible (a root within 1.01 of the origin) or
     * undefined (n* ≤ k + 1).
     *
     * @return AICc
     */
    public double aicc() {
        int nStar = y.length - spec.differencedAway();
        int k = spec.coefficientCount() + 1;
        if (nStar - k - 1 <= 0 || !admissible()) {
            return Double.POSITIVE_INFINITY;
        }
        double aic = nStar * Math.log(sigma2) + 2 * k;
        return aic + 2.0 * k * (k + 1) / (nStar - k - 1);
    }

    /**
     * Whether every root of \(\phi(z)\Phi(z^m)\) and of \(\theta(z)\Theta(z^m)\) has modulus at
     * least 1.01 (stationary and invertible with a margin).
     *
     * @return whether the fit is admissible
     */
    public boolean admissible() {
        int p = spec.p();
        int q = spec.q();
        int sp = spec.seasonalP();
        int m = spec.period();
        double[] c = coefficients;
        return rootsOutside(slice(c, 0, p, 1), ROOT_MARGIN)
                && rootsOutside(slice(c, p, q, -1), ROOT_MARGIN)
                && rootsOutside(slice(c, p + q, sp, 1), Math.pow(ROOT_MARGIN, m))
                && rootsOutside(
                        slice(c, p + q + sp, spec.seasonalQ(), -1), Math.pow(ROOT_MARGIN, m));
    }

    private static double[] slice(double[] c, int from, int count, double sign) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = sign * c[from + i];
        }
        return out;
    }

    /**
     * Whether every root of \(1 - \sum_{k=1}^{p} a_k z^k\) has modulus above r: the step-down
     * (Schur–Cohn) recursion on \(a_k r^k\), whose reflection coefficients all lie in (−1, 1)
     * exactly when the scaled polynomial has no root in the closed unit disc.
     *
     * @param a a₁…a_p
     * @param r the radius
     * @return whether all roots lie outside the circle of radius r
     */
    static boolean rootsOutside(double[] a, double r) {
        int p = a.length;
        double[] cur = new double[p];
        double scale = 1;
        for (int k = 0; k < p; k++) {
            scale *= r;
            cur[k] = a[k] * scale;
        }
        for (int k = p; k >= 1; k--) {
            double kappa = cur[k - 1];
            if (!(Math.abs(kappa) < 1)) {
                return false;
            }
            double[] next = new double[k - 1];
            for (int j = 0; j < k - 1; j++) {
                next[j] = (cur[j] + kappa * cur[k - 2 - j]) / (1 - kappa * kappa);
            }
            cur = next;
        }
        return true;
    }

    /**
     * The point forecasts \(\hat y_{n+1} … \hat y_{n+H}\).
     *
     * @param horizon H
     * @return the forecasts
     */
    public double[] forecast(int horizon) {
        if (horizon < 1) {
            throw new InvalidHistoryException("horizon must be >= 1, got " + horizon);
        }
        int n = y.length;
        Residuals r = residuals(spec, y, coefficients, horizon);
        double[] w = r.w;
        double[] e = r.e;
        ArmaPolynomials poly = ArmaPolynomials.of(spec, coefficients);
        for (int t = n; t < n + horizon; t++) {
            double v = 0;
            for (int j : poly.arLags()) {
                v += poly.ar()[j] * w[t - j - 1];
            }
            for (int j : poly.maLags()) {
                if (t - j - 1 >= r.first) {
                    v += poly.ma()[j] * e[t - j - 1];
                }
            }
            w[t] = v;
        }
        double[] delta = ArmaPolynomials.differencing(spec);
        double[] z = r.z;
        double[] out = new double[horizon];
        for (int t = n; t < n + horizon; t++) {
            double v = w[t];
            for (int k = 0; k < delta.length; k++) {
                v += delta[k] * z[t - k - 1];
            }
            z[t] = v;
            out[t - n] = v + constant(spec, coefficients, t);
        }
        return out;
    }

    /** The constant term c_t at index t (0-based): the mean, β·(t + 1), or 0. */
    private static double constant(ArimaSpec spec, double[] c, int t) {
        if (!spec.constant()) {
            return 0;
        }
        double b = c[c.length - 1];
        return spec.differencedAway() == 0 ? b : b * (t + 1);
    }

    /** \(\hat\sigma^2(c)\); +∞ when the residuals overflow. */
    static double meanSquare(ArimaSpec spec, double[] y, double[] c) {
        Residuals r = residuals(spec, y, c, 0);
        double ssq = 0;
        for (int t = r.first; t < y.length; t++) {
            ssq += r.e[t] * r.e[t];
        }
        double ms = ssq / (y.length - r.first);
        return Double.isFinite(ms) ? ms : Double.POSITIVE_INFINITY;
    }

    /** z (constant removed), w (differenced) and e over the history, with room for H more. */
    private record Residuals(double[] z, double[] w, double[] e, int first) {}

    private static Residuals residuals(ArimaSpec spec, double[] y, double[] c, int extra) {
        int n = y.length;
        double[] z = new double[n + extra];
        for (int t = 0; t < n; t++) {
            z[t] = y[t] - constant(spec, c, t);
        }
        double[] w = java.util.Arrays.copyOf(z, n + extra);
        for (int i = 0; i < spec.d(); i++) {
            for (int t = n - 1; t >= 1; t--) {
                w[t] -= w[t - 1];
            }
        }
        int m = spec.period();
        for (int i = 0; i < spec.seasonalD(); i++) {
            for (int t = n - 1; t >= m; t--) {
                w[t] -= w[t - m];
            }
        }
        ArmaPolynomials poly = ArmaPolynomials.of(spec, c);
        int first = conditioning(spec);
        double[] e = new double[n + extra];
        for (int t = first; t < n; t++) {
            double v = w[t];
            for (int j : poly.arLags()) {
                v -= poly.ar()[j] * w[t - j - 1];
            }
            for (int j : poly.maLags()) {
                if (j < t - first) {
                    v -= poly.ma()[j] * e[t - j - 1];
                }
            }
            e[t] = v;
        }
        return new Residuals(z, w, e, first);
    }

    /**
     * The least-squares constant of the differenced series and its standard error (the starting
     * point and initial step of the search).
     */
    private static double[] constantByLeastSquares(ArimaSpec spec, double[] y) {
        int n = y.length;
        double[] x = new double[n];
        double[] reg = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = y[t];
            reg[t] = spec.differencedAway() == 0 ? 1 : t + 1;
        }
        for (int i = 0; i < spec.d(); i++) {
            x = Kpss.difference(x, 1);
            reg = Kpss.difference(reg, 1);
        }
        for (int i = 0; i < spec.seasonalD(); i++) {
            x = Kpss.difference(x, spec.period());
            reg = Kpss.difference(reg, spec.period());
        }
        double sxy = 0;
        double sxx = 0;
        for (int t = 0; t < x.length; t++) {
            sxy += x[t] * reg[t];
            sxx += reg[t] * reg[t];
        }
        double b = sxy / sxx;
        double rss = 0;
        for (int t = 0; t < x.length; t++) {
            rss += (x[t] - b * reg[t]) * (x[t] - b * reg[t]);
        }
        double se = x.length > 1 ? Math.sqrt(rss / (x.length - 1) / sxx) : 0;
        return new double[] {b, se};
    }
}
