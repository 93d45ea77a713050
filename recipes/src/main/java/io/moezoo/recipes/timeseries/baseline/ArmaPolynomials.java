package io.moezoo.recipes.timeseries.baseline;

import java.util.TreeSet;

/**
 * The expanded lag polynomials of a seasonal ARIMA model (R's {@code ARIMA_transPars} without the
 * reparametrisation): \(1 - \sum_j \varphi_j B^{j+1} = \phi(B)\Phi(B^m)\), so \(\varphi_{i-1} =
 * \phi_i\), \(\varphi_{km-1} \mathrel{+}= \Phi_k\), \(\varphi_{km+i-1} \mathrel{-}= \phi_i\Phi_k\);
 * and \(1 + \sum_j \vartheta_j B^{j+1} = \theta(B)\Theta(B^m)\), so \(\vartheta_{km+i-1}
 * \mathrel{+}= \theta_i\Theta_k\). Arrays are indexed by lag − 1; the lag lists name the entries
 * that can be non-zero, so the recursions skip the empty lags between seasons.
 *
 * @param ar φ by lag − 1 (length p + Pm)
 * @param arLags the indices of ar that can be non-zero
 * @param ma ϑ by lag − 1 (length q + Qm)
 * @param maLags the indices of ma that can be non-zero
 */
record ArmaPolynomials(double[] ar, int[] arLags, double[] ma, int[] maLags) {

    /**
     * Expands the polynomials of a model.
     *
     * @param s the orders
     * @param c the coefficients in R's order (AR, MA, seasonal AR, seasonal MA, …)
     * @return the expanded polynomials
     */
    static ArmaPolynomials of(ArimaSpec s, double[] c) {
        int p = s.p();
        int q = s.q();
        int sp = s.seasonalP();
        int sq = s.seasonalQ();
        int m = s.period();
        double[] ar = new double[p + sp * m];
        double[] ma = new double[q + sq * m];
        TreeSet<Integer> arLags = new TreeSet<>();
        TreeSet<Integer> maLags = new TreeSet<>();
        for (int i = 0; i < p; i++) {
            ar[i] = c[i];
            arLags.add(i);
        }
        for (int i = 0; i < q; i++) {
            ma[i] = c[p + i];
            maLags.add(i);
        }
        for (int k = 0; k < sp; k++) {
            double big = c[p + q + k];
            int lag = (k + 1) * m;
            ar[lag - 1] += big;
            arLags.add(lag - 1);
            for (int i = 0; i < p; i++) {
                ar[lag + i] -= c[i] * big;
                arLags.add(lag + i);
            }
        }
        for (int k = 0; k < sq; k++) {
            double big = c[p + q + sp + k];
            int lag = (k + 1) * m;
            ma[lag - 1] += big;
            maLags.add(lag - 1);
            for (int i = 0; i < q; i++) {
                ma[lag + i] += c[p + i] * big;
                maLags.add(lag + i);
            }
        }
        return new ArmaPolynomials(ar, toArray(arLags), ma, toArray(maLags));
    }

    /**
     * The differencing coefficients δ with \(1 - \sum_k \delta_k B^{k+1} = (1-B)^d(1-B^m)^D\), so
     * that \(z_t = w_t + \sum_k \delta_k z_{t-k-1}\) undoes the differences.
     *
     * @param s the orders
     * @return δ (length d + Dm)
     */
    static double[] differencing(ArimaSpec s) {
        double[] poly = {1};
        for (int i = 0; i < s.d(); i++) {
            poly = times(poly, 1);
        }
        for (int i = 0; i < s.seasonalD(); i++) {
            poly = times(poly, s.period());
        }
        double[] delta = new double[poly.length - 1];
        for (int k = 1; k < poly.length; k++) {
            delta[k - 1] = -poly[k];
        }
        return delta;
    }

    /** poly × (1 − B^lag). */
    private static double[] times(double[] poly, int lag) {
        double[] out = java.util.Arrays.copyOf(poly, poly.length + lag);
        for (int k = 0; k < poly.length; k++) {
            out[k + lag] -= poly[k];
        }
        return out;
    }

    private static int[] toArray(TreeSet<Integer> set) {
        return set.stream().mapToInt(Integer::intValue).toArray();
    }
}
