package io.moezoo.recipes.timeseries.baseline;

/**
 * The orders of a seasonal ARIMA(p, d, q)(P, D, Q)[m] model with an optional constant:
 * \(\phi(B)\Phi(B^m)(1-B)^d(1-B^m)^D (y_t - c_t) = \theta(B)\Theta(B^m)\varepsilon_t\) with
 * \(\phi(B) = 1 - \sum_{i=1}^p \phi_i B^i\), \(\Phi(B^m) = 1 - \sum_{j=1}^P \Phi_j B^{jm}\),
 * \(\theta(B) = 1 + \sum_{i=1}^q \theta_i B^i\) and \(\Theta(B^m) = 1 + \sum_{j=1}^Q \Theta_j
 * B^{jm}\). The constant is a mean \(c_t = \mu\) when d + D = 0 and a drift \(c_t = \beta t\) when
 * d + D = 1 (R's {@code forecast::Arima} conventions); with more differences there is none.
 *
 * @param p the autoregressive order
 * @param d the first differences
 * @param q the moving-average order
 * @param seasonalP the seasonal autoregressive order P
 * @param seasonalD the seasonal differences D
 * @param seasonalQ the seasonal moving-average order Q
 * @param period the season m (1: no seasonal part)
 * @param constant whether the model has a mean (d + D = 0) or a drift (d + D = 1)
 */
public record ArimaSpec(
        int p,
        int d,
        int q,
        int seasonalP,
        int seasonalD,
        int seasonalQ,
        int period,
        boolean constant) {

    /**
     * Validates the orders: none negative, seasonal orders only with a season, a constant only with
     * d + D ≤ 1.
     *
     * @param p p
     * @param d d
     * @param q q
     * @param seasonalP P
     * @param seasonalD D
     * @param seasonalQ Q
     * @param period m
     * @param constant whether there is a mean or drift
     */
    public ArimaSpec {
        if (p < 0 || d < 0 || q < 0 || seasonalP < 0 || seasonalD < 0 || seasonalQ < 0) {
            throw new IllegalArgumentException("ARIMA orders must be >= 0");
        }
        if (period < 1) {
            throw new IllegalArgumentException("An ARIMA season is at least 1, got " + period);
        }
        if (period == 1 && seasonalP + seasonalD + seasonalQ > 0) {
            throw new IllegalArgumentException("Seasonal ARIMA orders need a season m >= 2");
        }
        if (constant && d + seasonalD > 1) {
            throw new IllegalArgumentException(
                    "An ARIMA constant needs d + D <= 1, got d = " + d + ", D = " + seasonalD);
        }
    }

    /**
     * The number of ARMA coefficients p + q + P + Q.
     *
     * @return the count
     */
    public int armaCount() {
        return p + q + seasonalP + seasonalQ;
    }

    /**
     * The number of estimated coefficients: the ARMA ones and the constant.
     *
     * @return the count
     */
    public int coefficientCount() {
        return armaCount() + (constant ? 1 : 0);
    }

    /**
     * The values lost to differencing, d + Dm.
     *
     * @return the count
     */
    public int differencedAway() {
        return d + seasonalD * period;
    }

    /**
     * The model in R's notation, e.g. {@code ARIMA(0,1,1)(0,1,1)[12]} or {@code ARIMA(1,0,0) with
     * mean}.
     *
     * @return the name
     */
    public String name() {
        StringBuilder s = new StringBuilder("ARIMA(" + p + "," + d + "," + q + ")");
        if (seasonalP + seasonalD + seasonalQ > 0) {
            s.append("(" + seasonalP + "," + seasonalD + "," + seasonalQ + ")[" + period + "]");
        }
        if (constant) {
            s.append(d + seasonalD == 0 ? " with mean" : " with drift");
        }
        return s.toString();
    }
}
