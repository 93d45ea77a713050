package io.moezoo.recipes.timeseries.baseline;

import java.util.function.ToDoubleFunction;

/**
 * Derivative-free minimisation by the Nelder–Mead simplex method (reflection 1, expansion 2,
 * contraction ½, shrink ½), deterministic, with restarts.
 *
 * <p>Starting from x₀ and the simplex x₀ + sᵢeᵢ, each iteration orders the n + 1 vertices by f,
 * reflects the worst through the centroid c of the others, \(x_r = c + (c - x_w)\), and expands
 * (\(c + 2(c - x_w)\)), contracts (\(c \pm \frac12(c - x_w)\)) or shrinks towards the best vertex.
 * It stops when \(f_{worst} - f_{best} \le \text{tol}\,(|f_{best}| + \text{tol})\) (R's {@code
 * optim} reltol rule) or after the evaluation budget. Infeasible points return +∞ (or any value
 * above every feasible one) and are never accepted. A converged simplex is restarted around its
 * best vertex with the initial steps until a restart no longer lowers f by more than the tolerance,
 * which guards against premature collapse of the simplex.
 */
public final class NelderMead {

    private final double tolerance;
    private final int maxEvaluations;

    /**
     * Creates an optimiser.
     *
     * @param tolerance the relative tolerance on the simplex's spread of f
     * @param maxEvaluations the budget of function evaluations
     */
    public NelderMead(double tolerance, int maxEvaluations) {
        if (!(tolerance > 0) || maxEvaluations < 1) {
            throw new IllegalArgumentException(
                    "Nelder-Mead needs tolerance > 0 and a positive budget");
        }
        this.tolerance = tolerance;
        this.maxEvaluations = maxEvaluations;
    }

    /**
     * Minimises f.
     *
     * @param f the objective
     * @param start x₀ (must be feasible)
     * @param steps the initial simplex steps sᵢ (non-zero)
     * @return the best point found
     */
    public double[] minimize(ToDoubleFunction<double[]> f, double[] start, double[] steps) {
        if (start.length != steps.length || start.length == 0) {
            throw new IllegalArgumentException("start and steps must be equally long, non-empty");
        }
        int[] used = {0};
        double[] best = start.clone();
        double fBest = f.applyAsDouble(best);
        used[0]++;
        if (!Double.isFinite(fBest)) {
            throw new IllegalArgumentException("Nelder-Mead: the starting point is infeasible");
        }
        while (used[0] < maxEvaluations) {
            double[] next = run(f, best, fBest, steps, used);
            double fNext = f.applyAsDouble(next);
            used[0]++;
            boolean improved = fBest - fNext > tolerance * (Math.abs(fBest) + tolerance);
            if (fNext < fBest) {
                best = next;
                fBest = fNext;
            }
            if (!improved) {
                break;
            }
        }
        return best;
    }

    private double[] run(
            ToDoubleFunction<double[]> f, double[] x0, double f0, double[] steps, int[] used) {
        int n = x0.length;
        double[][] p = new double[n + 1][];
        double[] v = new double[n + 1];
        p[0] = x0.clone();
        v[0] = f0;
        for (int i = 0; i < n; i++) {
            p[i + 1] = x0.clone();
            p[i + 1][i] += steps[i];
            v[i + 1] = eval(f, p[i + 1], used);
            if (!Double.isFinite(v[i + 1])) {
                // step the other way if the first direction is infeasible
                p[i + 1][i] = x0[i] - steps[i];
                v[i + 1] = eval(f, p[i + 1], used);
            }
        }
        double[] c = new double[n];
        while (used[0] < maxEvaluations) {
            sort(p, v);
            if (v[n] - v[0] <= tolerance * (Math.abs(v[0]) + tolerance)) {
                break;
            }
            java.util.Arrays.fill(c, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    c[j] += p[i][j] / n;
                }
            }
            double[] r = along(c, p[n], 1);
            double fr = eval(f, r, used);
            if (fr < v[0]) {
                double[] e = along(c, p[n], 2);
                double fe = eval(f, e, used);
                if (fe < fr) {
                    p[n] = e;
                    v[n] = fe;
                } else {
                    p[n] = r;
                    v[n] = fr;
                }
            } else if (fr < v[n - 1]) {
                p[n] = r;
                v[n] = fr;
            } else {
                boolean outside = fr < v[n];
                double[] k = along(c, p[n], outside ? 0.5 : -0.5);
                double fk = eval(f, k, used);
                if (fk < (outside ? fr : v[n])) {
                    p[n] = k;
                    v[n] = fk;
                } else {
                    for (int i = 1; i <= n; i++) {
                        for (int j = 0; j < n; j++) {
                            p[i][j] = p[0][j] + 0.5 * (p[i][j] - p[0][j]);
                        }
                        v[i] = eval(f, p[i], used);
                    }
                }
            }
        }
        sort(p, v);
        return p[0];
    }

    private static double eval(ToDoubleFunction<double[]> f, double[] x, int[] used) {
        used[0]++;
        double value = f.applyAsDouble(x);
        return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value;
    }

    /** \(c + a (c - w)\). */
    private static double[] along(double[] c, double[] w, double a) {
        double[] out = new double[c.length];
        for (int j = 0; j < c.length; j++) {
            out[j] = c[j] + a * (c[j] - w[j]);
        }
        return out;
    }

    /** Insertion sort of the vertices by value (stable, so ties keep their order). */
    private static void sort(double[][] p, double[] v) {
        for (int i = 1; i < v.length; i++) {
            double[] pi = p[i];
            double vi = v[i];
            int j = i - 1;
            while (j >= 0 && v[j] > vi) {
                p[j + 1] = p[j];
                v[j + 1] = v[j];
                j--;
            }
            p[j + 1] = pi;
            v[j + 1] = vi;
        }
    }
}
