package io.moezoo.recipes.timeseries.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ARIMA pieces on tiny cases worked out by hand, and on simulated series of known models. */
class ArimaFitTest {

    @Test
    void polynomialsExpandTheSeasonalProducts() {
        // (1 - 0.5B)(1 - 0.3B^4) = 1 - 0.5B - 0.3B^4 + 0.15B^5
        // (1 + 0.4B)(1 + 0.2B^4) = 1 + 0.4B + 0.2B^4 + 0.08B^5
        ArimaSpec spec = new ArimaSpec(1, 0, 1, 1, 0, 1, 4, false);
        ArmaPolynomials poly = ArmaPolynomials.of(spec, new double[] {0.5, 0.4, 0.3, 0.2});
        assertArrayEquals(new double[] {0.5, 0, 0, 0.3, -0.15}, poly.ar(), 1e-15);
        assertArrayEquals(new double[] {0.4, 0, 0, 0.2, 0.08}, poly.ma(), 1e-15);
        assertArrayEquals(new int[] {0, 3, 4}, poly.arLags());
        // (1 - B)(1 - B^4) = 1 - B - B^4 + B^5
        assertArrayEquals(
                new double[] {1, 0, 0, 1, -1},
                ArmaPolynomials.differencing(new ArimaSpec(0, 1, 0, 0, 1, 0, 4, false)),
                0);
    }

    @Test
    void rootTestAgainstKnownRoots() {
        assertTrue(ArimaFit.rootsOutside(new double[] {0.5}, 1.01)); // root 2
        assertFalse(ArimaFit.rootsOutside(new double[] {0.995}, 1.01)); // root 1.005
        // (1 - 0.5z)(1 - 0.9z) = 1 - 1.4z + 0.45z^2: roots 2 and 1.111
        assertTrue(ArimaFit.rootsOutside(new double[] {1.4, -0.45}, 1.01));
        assertFalse(ArimaFit.rootsOutside(new double[] {1.4, -0.45}, 1.2));
        // a root inside the unit circle: 1 - 2z
        assertFalse(ArimaFit.rootsOutside(new double[] {2}, 1));
    }

    @Test
    void conditionalSumOfSquaresByHand() {
        // AR(1), phi 0.5: e = 2 - 0.5, 4 - 1, 3 - 2, 5 - 1.5 = 1.5, 3, 1, 3.5; 24.5 / 4
        double[] y = {1, 2, 4, 3, 5};
        ArimaFit ar = ArimaFit.at(new ArimaSpec(1, 0, 0, 0, 0, 0, 1, false), y, new double[] {0.5});
        assertEquals(24.5 / 4, ar.sigma2(), 1e-12);
        // MA(1), theta 0.5, from the first value: e = 1, 2 - 0.5, 4 - 0.75 = 1, 1.5, 3.25
        ArimaFit ma =
                ArimaFit.at(
                        new ArimaSpec(0, 0, 1, 0, 0, 0, 1, false),
                        new double[] {1, 2, 4},
                        new double[] {0.5});
        assertEquals((1 + 2.25 + 3.25 * 3.25) / 3, ma.sigma2(), 1e-12);
        // its forecast: theta e_n = 0.5 * 3.25, then 0
        assertArrayEquals(new double[] {1.625, 0, 0}, ma.forecast(3), 1e-12);
    }

    @Test
    void forecastsOfKnownModels() {
        double[] y = {8, 12, 9, 11, 14};
        // AR(1) with mean 10: 10 + 0.5^h (14 - 10)
        ArimaFit ar =
                ArimaFit.at(new ArimaSpec(1, 0, 0, 0, 0, 0, 1, true), y, new double[] {0.5, 10});
        assertArrayEquals(new double[] {12, 11, 10.5}, ar.forecast(3), 1e-12);
        // random walk with drift 2: 14 + 2h
        ArimaFit drift = ArimaFit.at(new ArimaSpec(0, 1, 0, 0, 0, 0, 1, true), y, new double[] {2});
        assertArrayEquals(new double[] {16, 18, 20}, drift.forecast(3), 1e-12);
        // seasonal random walk, m = 2: repeats the last season
        ArimaFit seasonal =
                ArimaFit.at(new ArimaSpec(0, 0, 0, 0, 1, 0, 2, false), y, new double[0]);
        assertArrayEquals(new double[] {11, 14, 11}, seasonal.forecast(3), 1e-12);
    }

    @Test
    void fitRecoversASimulatedSeasonalModel() {
        // (1 - 0.6B)(1 - B^4) y_t = (1 + 0.3B^4) e_t, 2,000 values
        Random rng = new Random(7);
        int n = 2000;
        double[] y = new double[n];
        double[] e = new double[n];
        for (int t = 0; t < n; t++) {
            e[t] = rng.nextGaussian();
            double w = e[t] + (t >= 4 ? 0.3 * e[t - 4] : 0);
            // w_t = x_t - x_{t-4} with x AR(1) in the seasonal differences
            double prevW = t >= 5 ? (y[t - 1] - y[t - 5]) : 0;
            y[t] = (t >= 4 ? y[t - 4] : 0) + 0.6 * prevW + w;
        }
        ArimaFit fit = ArimaFit.fit(new ArimaSpec(1, 0, 0, 0, 1, 1, 4, false), y);
        assertEquals(0.6, fit.coefficients()[0], 0.05);
        assertEquals(0.3, fit.coefficients()[1], 0.05);
        assertEquals(1, fit.sigma2(), 0.1);
        ArimaFit auto = AutoArima.select(y, 4);
        assertEquals(1, auto.spec().seasonalD());
        assertTrue(auto.aicc() <= fit.aicc() + 1e-9, auto.spec().name());
    }

    @Test
    void badInputIsRejectedWithItsReason() {
        assertThrows(
                IllegalArgumentException.class, () -> new ArimaSpec(1, 2, 0, 0, 0, 0, 1, true));
        assertThrows(
                IllegalArgumentException.class, () -> new ArimaSpec(0, 0, 0, 1, 0, 0, 1, false));
        InvalidHistoryException tooShort =
                assertThrows(
                        InvalidHistoryException.class,
                        () ->
                                ArimaFit.fit(
                                        new ArimaSpec(2, 1, 2, 0, 0, 0, 1, false),
                                        new double[] {1, 2, 3, 4, 5}));
        assertTrue(tooShort.getMessage().contains("residuals"), tooShort.getMessage());
        assertThrows(
                InvalidHistoryException.class,
                () -> AutoArima.select(new double[] {1, 2, Double.NaN, 4, 5}, 1));
        // values whose squares overflow get the typed error, not the optimiser's
        double[] huge = {1e200, -1e200, 2e200, -2e200, 1e200, 3e200, -1e200, 2e200};
        assertThrows(
                InvalidHistoryException.class,
                () -> ArimaFit.fit(new ArimaSpec(1, 0, 0, 0, 0, 0, 1, false), huge));
        // a constant history is its own mean
        assertArrayEquals(
                new double[] {3, 3}, AutoArima.forecast(new double[] {3, 3, 3, 3, 3}, 2, 1), 0);
    }
}
