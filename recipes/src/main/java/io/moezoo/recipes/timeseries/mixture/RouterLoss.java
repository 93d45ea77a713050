package io.moezoo.recipes.timeseries.mixture;

/**
 * The per-window loss \(\ell(w)\) a router is trained to minimise, with its gradient in the expert
 * weights w. With \(e_k\) the MASE of expert k on the window:
 *
 * <ul>
 *   <li>{@link #FFORMA}: \(\sum_k w_k e_k\), the FFORMA loss (Montero-Manso et al., 2020) with MASE
 *       as the error: the weights learn which experts do well on series like this one;
 *   <li>{@link #FFORMA_RELATIVE}: \(\sum_k w_k e_k / \bar e\) with \(\bar e\) the geometric mean of
 *       the \(e_k\), so every window counts alike whatever its scale of errors;
 *   <li>{@link #LOG_MASE}: \(\ln \mathrm{MASE}(\sum_k w_k \hat y_k)\), the log error of the
 *       combination itself (the quantity whose mean the geometric-mean MASE exponentiates), with
 *       the MASE floored at {@value #MASE_FLOOR} (gradient 0 below it) so that the few windows that
 *       an expert forecasts exactly (step series) do not dominate.
 * </ul>
 */
public enum RouterLoss {
    /** FFORMA: the weighted mean of the experts' MASE. */
    FFORMA,
    /** FFORMA with each window's errors divided by their geometric mean. */
    FFORMA_RELATIVE,
    /** The log MASE of the combined forecast. */
    LOG_MASE;

    /** The floor of the MASE in {@link #LOG_MASE} (and of the validation score). */
    public static final double MASE_FLOOR = 0.01;

    private static final double FLOOR = 1e-8;

    /**
     * The loss of a window and its gradient in w.
     *
     * @param window the window
     * @param w the weights
     * @param gradient receives \(\partial \ell / \partial w_k\)
     * @return \(\ell(w)\)
     */
    public double value(ForecastWindow window, double[] w, double[] gradient) {
        int k = window.experts();
        switch (this) {
            case FFORMA, FFORMA_RELATIVE -> {
                double norm = 1;
                if (this == FFORMA_RELATIVE) {
                    double logSum = 0;
                    for (int i = 0; i < k; i++) {
                        logSum += Math.log(Math.max(FLOOR, window.mase(i)));
                    }
                    norm = Math.exp(logSum / k);
                }
                double loss = 0;
                for (int i = 0; i < k; i++) {
                    gradient[i] = window.mase(i) / norm;
                    loss += w[i] * gradient[i];
                }
                return loss;
            }
            default -> {
                double[] y = window.combine(w);
                double[] actual = window.actual();
                int horizon = actual.length;
                double mase = window.mase(y);
                java.util.Arrays.fill(gradient, 0);
                if (mase <= MASE_FLOOR) {
                    return Math.log(MASE_FLOOR);
                }
                // d ln MASE / d w_k = -(1 / (MASE H s)) sum_h sign(y_h - yhat_h) f_kh
                double c = 1 / (mase * horizon * window.scale());
                for (int h = 0; h < horizon; h++) {
                    double sign = Math.signum(actual[h] - y[h]);
                    for (int i = 0; i < k; i++) {
                        gradient[i] -= c * sign * window.forecasts()[i][h];
                    }
                }
                return Math.log(mase);
            }
        }
    }
}
