package io.moezoo.recipes.timeseries.baseline;

import java.util.function.ToDoubleFunction;

/**
 * The objective \(n \log \sum e_t^2\) of an additive-error ETS model over the vector {@code [α,
 * (β), (γ), (φ), l₀, (b₀), (s_{2-m} … s_0)]}, +∞ outside the usual bounds or the admissible region
 * (see {@link EtsFit}).
 */
final class EtsObjective implements ToDoubleFunction<double[]> {

    private final EtsSpec spec;
    private final double[] y;
    private final int m;

    EtsObjective(EtsSpec spec, double[] y, int m) {
        this.spec = spec;
        this.y = y;
        this.m = m;
    }

    /** The starting vector of {@code forecast::ets}' {@code initparam} and {@code initstate}. */
    static double[] start(EtsSpec spec, double[] y, int m) {
        double alpha = EtsFit.LOWER + 0.2 * (EtsFit.UPPER - EtsFit.LOWER) / m;
        double beta = EtsFit.LOWER + 0.1 * (Math.min(EtsFit.UPPER, alpha) - EtsFit.LOWER);
        double gamma = EtsFit.LOWER + 0.05 * (Math.min(EtsFit.UPPER, 1 - alpha) - EtsFit.LOWER);
        double phi = EtsFit.PHI_LOWER + 0.99 * (EtsFit.PHI_UPPER - EtsFit.PHI_LOWER);
        double[] adjusted = y;
        double[] season = null;
        if (spec.seasonal()) {
            ClassicalDecomposition d = ClassicalDecomposition.of(y, m, false);
            season = d.figure();
            adjusted = d.adjust(y);
        }
        int maxn = Math.min(Math.max(10, 2 * m), adjusted.length);
        double l0;
        double b0 = 0;
        if (spec.trend()) {
            // least squares of adjusted[0..maxn) on t = 1..maxn; l0 is the intercept at t = 0
            double tMean = (maxn + 1) / 2.0;
            double yMean = 0;
            for (int t = 0; t < maxn; t++) {
                yMean += adjusted[t] / maxn;
            }
            double sxy = 0;
            double sxx = 0;
            for (int t = 0; t < maxn; t++) {
                sxy += (t + 1 - tMean) * (adjusted[t] - yMean);
                sxx += (t + 1 - tMean) * (t + 1 - tMean);
            }
            b0 = sxy / sxx;
            l0 = yMean - b0 * tMean;
        } else {
            l0 = 0;
            for (int t = 0; t < maxn; t++) {
                l0 += adjusted[t] / maxn;
            }
        }
        double[] x = new double[size(spec, m)];
        int i = 0;
        x[i++] = alpha;
        if (spec.trend()) {
            x[i++] = beta;
        }
        if (spec.seasonal()) {
            x[i++] = gamma;
        }
        if (spec.damped()) {
            x[i++] = phi;
        }
        x[i++] = l0;
        if (spec.trend()) {
            x[i++] = b0;
        }
        if (spec.seasonal()) {
            // phases 1..m-1 are free; phase 0 (the oldest state, used by y_1) is minus their sum
            for (int p = 1; p < m; p++) {
                x[i++] = season[p];
            }
        }
        return x;
    }

    static int size(EtsSpec spec, int m) {
        return 2 + (spec.trend() ? 2 : 0) + (spec.damped() ? 1 : 0) + (spec.seasonal() ? m : 0);
    }

    /**
     * The unconstrained coordinates of a vector inside the usual bounds: with the logistic σ and L
     * = 10⁻⁴, U = 0.9999, \(\alpha = L + (U - L)\sigma(u_\alpha)\), \(\beta = L + (\alpha -
     * L)\sigma(u_\beta)\), \(\gamma = L + (\min(U, 1 - \alpha) - L)\sigma(u_\gamma)\), \(\phi = 0.8
     * + 0.18\sigma(u_\phi)\); the states are unchanged. The simplex then moves freely and
     * approaches the bounds (where ETS optima often lie) smoothly instead of hitting a wall.
     *
     * @param u the coordinates
     * @return the vector
     */
    double[] decode(double[] u) {
        double[] x = u.clone();
        int i = 0;
        double alpha = EtsFit.LOWER + (EtsFit.UPPER - EtsFit.LOWER) * logistic(u[i]);
        x[i++] = alpha;
        if (spec.trend()) {
            x[i] = EtsFit.LOWER + (alpha - EtsFit.LOWER) * logistic(u[i]);
            i++;
        }
        if (spec.seasonal()) {
            x[i] =
                    EtsFit.LOWER
                            + (Math.min(EtsFit.UPPER, 1 - alpha) - EtsFit.LOWER) * logistic(u[i]);
            i++;
        }
        if (spec.damped()) {
            x[i] = EtsFit.PHI_LOWER + (EtsFit.PHI_UPPER - EtsFit.PHI_LOWER) * logistic(u[i]);
        }
        return x;
    }

    /** The inverse of {@link #decode} (values on a bound map to ±12). */
    double[] encode(double[] x) {
        double[] u = x.clone();
        int i = 0;
        double alpha = x[0];
        u[i++] = logit((alpha - EtsFit.LOWER) / (EtsFit.UPPER - EtsFit.LOWER));
        if (spec.trend()) {
            u[i] = logit((x[i] - EtsFit.LOWER) / (alpha - EtsFit.LOWER));
            i++;
        }
        if (spec.seasonal()) {
            u[i] =
                    logit(
                            (x[i] - EtsFit.LOWER)
                                    / (Math.min(EtsFit.UPPER, 1 - alpha) - EtsFit.LOWER));
            i++;
        }
        if (spec.damped()) {
            u[i] = logit((x[i] - EtsFit.PHI_LOWER) / (EtsFit.PHI_UPPER - EtsFit.PHI_LOWER));
        }
        return u;
    }

    private static double logistic(double u) {
        return 1 / (1 + Math.exp(-u));
    }

    private static double logit(double p) {
        double q = Math.min(Math.max(p, 6e-6), 1 - 6e-6);
        return Math.log(q / (1 - q));
    }

    /**
     * Initial simplex steps in {@link #encode}d coordinates: 1 for the smoothing parameters, the
     * mean absolute change of y for the states.
     */
    double[] steps(double[] x) {
        double scale = 0;
        for (int t = 1; t < y.length; t++) {
            scale += Math.abs(y[t] - y[t - 1]) / (y.length - 1);
        }
        if (!(scale > 0)) {
            scale = Math.max(1e-8, 0.1 * Math.abs(x[0]));
        }
        double[] s = new double[x.length];
        int smoothing = 1 + (spec.trend() ? 1 : 0) + (spec.seasonal() ? 1 : 0);
        int i = 0;
        for (; i < smoothing; i++) {
            s[i] = 1;
        }
        if (spec.damped()) {
            s[i++] = 1;
        }
        s[i++] = scale;
        if (spec.trend()) {
            s[i++] = 0.1 * scale;
        }
        for (; i < x.length; i++) {
            s[i] = 0.5 * scale;
        }
        return s;
    }

    @Override
    public double applyAsDouble(double[] x) {
        Params p = new Params(x);
        if (!p.feasible()) {
            return Double.POSITIVE_INFINITY;
        }
        double sse = run(p, null);
        return y.length * Math.log(Math.max(sse, Double.MIN_NORMAL));
    }

    EtsFit fit(double[] x) {
        Params p = new Params(x);
        double[] states = new double[2 + m];
        double sse = run(p, states);
        return new EtsFit(
                spec, m, p.alpha, p.beta, p.gamma, p.phi, states, y.length, sse, x.length);
    }

    /** Runs the recursion; returns Σe² and, if {@code out} is given, the final states. */
    private double run(Params p, double[] out) {
        double level = p.l0;
        double trend = p.b0;
        double[] season = p.season;
        double sse = 0;
        for (int t = 0; t < y.length; t++) {
            int phase = spec.seasonal() ? t % m : 0;
            double s = spec.seasonal() ? season[phase] : 0;
            double damped = p.phi * trend;
            double e = y[t] - (level + damped + s);
            sse += e * e;
            level = level + damped + p.alpha * e;
            trend = damped + p.beta * e;
            if (spec.seasonal()) {
                season[phase] = s + p.gamma * e;
            }
        }
        if (out != null) {
            out[0] = level;
            out[1] = trend;
            if (spec.seasonal()) {
                System.arraycopy(season, 0, out, 2, m);
            }
        }
        return sse;
    }

    /** The vector unpacked. */
    private final class Params {
        final double alpha;
        final double beta;
        final double gamma;
        final double phi;
        final double l0;
        final double b0;
        final double[] season;

        Params(double[] x) {
            int i = 0;
            alpha = x[i++];
            beta = spec.trend() ? x[i++] : 0;
            gamma = spec.seasonal() ? x[i++] : 0;
            phi = spec.damped() ? x[i++] : 1;
            l0 = x[i++];
            b0 = spec.trend() ? x[i++] : 0;
            if (spec.seasonal()) {
                season = new double[m];
                double sum = 0;
                for (int p = 1; p < m; p++) {
                    season[p] = x[i++];
                    sum += season[p];
                }
                season[0] = -sum;
            } else {
                season = null;
            }
        }

        boolean feasible() {
            if (!(alpha >= EtsFit.LOWER && alpha <= EtsFit.UPPER)) {
                return false;
            }
            if (spec.trend() && !(beta >= EtsFit.LOWER && beta <= alpha)) {
                return false;
            }
            if (spec.seasonal() && !(gamma >= EtsFit.LOWER && gamma <= 1 - alpha)) {
                return false;
            }
            if (spec.damped() && !(phi >= EtsFit.PHI_LOWER && phi <= EtsFit.PHI_UPPER)) {
                return false;
            }
            return admissible();
        }

        /** Hyndman et al. (2008) admissibility, as {@code forecast:::admissible}. */
        private boolean admissible() {
            if (!spec.seasonal()) {
                if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) {
                    return false;
                }
                return !spec.trend()
                        || (beta >= alpha * (phi - 1) && beta <= (1 + phi) * (2 - alpha));
            }
            if (gamma < Math.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) {
                return false;
            }
            if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) {
                return false;
            }
            if (beta < -(1 - phi) * (gamma / m + alpha)) {
                return false;
            }
            // coefficients of z^0 … z^(m+1)
            double[] c = new double[m + 2];
            c[0] = phi * (1 - alpha - gamma);
            c[1] = alpha + beta - alpha * phi + gamma - 1;
            for (int j = 2; j < m; j++) {
                c[j] = alpha + beta - alpha * phi;
            }
            c[m] = alpha + beta - phi;
            c[m + 1] = 1;
            if (!spec.trend()) {
                // without a trend state (β = 0, φ = 1) z = 1 is always a root, which R's test
                // accepts through its tolerance 1 + 1e-10: divide it out
                c = deflateByUnitRoot(c);
            }
            return rootsInsideUnitCircle(c);
        }
    }

    /**
     * Synthetic division of \(\sum_k c_k z^k\) by (z − 1), dropping the remainder.
     *
     * @param c c₀ … c_d
     * @return the quotient's coefficients
     */
    static double[] deflateByUnitRoot(double[] c) {
        int d = c.length - 1;
        double[] q = new double[d];
        q[d - 1] = c[d];
        for (int k = d - 1; k >= 1; k--) {
            q[k - 1] = c[k] + q[k];
        }
        return q;
    }

    /**
     * The Schur–Cohn test: all roots of \(\sum_k c_k z^k\) lie strictly inside the unit circle iff
     * \(|c_0| &lt; |c_d|\) and the same holds recursively for \((c_d p(z) - c_0 z^d p(1/z)) / z\).
     *
     * @param coefficients c₀ … c_d (c_d ≠ 0)
     * @return whether every root has modulus below 1
     */
    static boolean rootsInsideUnitCircle(double[] coefficients) {
        double[] c = coefficients.clone();
        for (int d = c.length - 1; d > 0; d--) {
            double a0 = c[0];
            double ad = c[d];
            if (!(Math.abs(a0) < Math.abs(ad))) {
                return false;
            }
            double[] next = new double[d];
            for (int k = 1; k <= d; k++) {
                next[k - 1] = ad * c[k] - a0 * c[d - k];
            }
            // keep the numbers in range: the roots do not change under scaling
            double norm = Math.abs(next[d - 1]);
            for (int k = 0; k < d; k++) {
                next[k] /= norm;
            }
            c = next;
        }
        return true;
    }
}
