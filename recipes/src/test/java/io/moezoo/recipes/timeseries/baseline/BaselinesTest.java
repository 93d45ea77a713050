package io.moezoo.recipes.timeseries.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The simple parts of the baselines against hand-computed values; bad input. */
class BaselinesTest {

    @Test
    void naiveAndSeasonalNaive() {
        double[] y = {1, 3, 2, 4, 3, 5};
        assertArrayEquals(new double[] {5, 5, 5}, BaselineForecasts.seasonalNaive(y, 3, 1));
        // m = 2: the last season (3, 5) repeated
        assertArrayEquals(new double[] {3, 5, 3, 5, 3}, BaselineForecasts.seasonalNaive(y, 5, 2));
    }

    @Test
    void seasonalityTestOnAnAlternatingSeries() {
        // x = 1, -1, 1, ... (n = 16): mean 0, c0 = 16, r1 = -15/16, r2 = 14/16; the bound's
        // standard error is sqrt((1 + 2 r1^2) / n)
        double[] x = new double[16];
        for (int t = 0; t < x.length; t++) {
            x[t] = t % 2 == 0 ? 1 : -1;
        }
        double[] r = Seasonality.acf(x, 2);
        assertEquals(-15.0 / 16, r[0], 1e-12);
        assertEquals(14.0 / 16, r[1], 1e-12);
        double statistic = (14.0 / 16) / Math.sqrt((1 + 2 * (225.0 / 256)) / 16);
        assertEquals(statistic, Seasonality.statistic(x, 2), 1e-12); // 2.108 > 1.645
        assertTrue(Seasonality.isSeasonal(x, 2));
        assertEquals(2, Seasonality.period(x, 2));
        // n = 8: r1 = -7/8, r2 = 6/8, statistic 0.75 / sqrt((1 + 2 * 49/64) / 8) = 4/3 < 1.645
        double[] shorter = java.util.Arrays.copyOf(x, 8);
        assertEquals(4.0 / 3, Seasonality.statistic(shorter, 2), 1e-12);
        assertFalse(Seasonality.isSeasonal(shorter, 2));
        // n must exceed 2m, and a constant series is never seasonal
        assertFalse(Seasonality.isSeasonal(java.util.Arrays.copyOf(x, 4), 2));
        assertFalse(Seasonality.isSeasonal(new double[20], 2));
        // a straight line: its differences are constant, so not seasonal on differences
        double[] line = new double[40];
        for (int t = 0; t < line.length; t++) {
            line[t] = 3 + 2 * t;
        }
        assertEquals(1, Seasonality.periodOfDifferences(line, 12));
        assertEquals(12, Seasonality.naturalPeriod("M"));
        assertEquals(7, Seasonality.naturalPeriod("D"));
        assertEquals(1, Seasonality.naturalPeriod("Y"));
    }

    @Test
    void classicalDecompositionByHand() {
        double[] x = {1, 3, 1, 3, 1, 3};
        // m = 2: T_t = (x_{t-1}/2 + x_t + x_{t+1}/2) / 2 = 2 inside; x - T = -1, +1
        ClassicalDecomposition additive = ClassicalDecomposition.of(x, 2, false);
        assertArrayEquals(new double[] {-1, 1}, additive.figure(), 1e-12);
        assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2}, additive.adjust(x), 1e-12);
        // x / T = 0.5, 1.5 (mean 1 already)
        ClassicalDecomposition multiplicative = ClassicalDecomposition.of(x, 2, true);
        assertArrayEquals(new double[] {0.5, 1.5}, multiplicative.figure(), 1e-12);
        assertEquals(1.5, multiplicative.seasonal(7), 1e-12);
    }

    @Test
    void simpleExponentialSmoothingByHand() {
        // y = 3, 5, 4, 6, 5 with alpha = 0.5, l0 = 4:
        // yhat = 4, 3.5, 4.25, 4.125, 5.0625; e = -1, 1.5, -0.25, 1.875, -0.0625
        // l5 = 5.03125; SSE = 1 + 2.25 + 0.0625 + 3.515625 + 0.00390625 = 6.83203125
        double[] y = {3, 5, 4, 6, 5};
        EtsFit fit = EtsFit.at(EtsSpec.ANN, y, 1, new double[] {0.5, 4});
        assertEquals(6.83203125, fit.sse(), 1e-12);
        assertArrayEquals(new double[] {5.03125, 5.03125}, fit.forecast(2), 1e-12);
        // k = 3 (alpha, l0, sigma): AIC = 5 ln SSE + 6, AICc = AIC + 2*3*4 / (5 - 3 - 1)
        assertEquals(5 * Math.log(6.83203125) + 6, fit.aic(), 1e-12);
        assertEquals(5 * Math.log(6.83203125) + 6 + 24, fit.aicc(), 1e-12);
    }

    @Test
    void holtByHand() {
        // AAN, y = 10, 12, 15 with alpha 0.5, beta 0.2, l0 = 8, b0 = 1:
        // t1: yhat 9, e 1, l 9.5, b 1.2; t2: yhat 10.7, e 1.3, l 11.35, b 1.46;
        // t3: yhat 12.81, e 2.19, l 13.905, b 1.898; forecast h: 13.905 + 1.898 h
        EtsFit fit =
                EtsFit.at(EtsSpec.AAN, new double[] {10, 12, 15}, 1, new double[] {0.5, 0.2, 8, 1});
        assertEquals(1 + 1.69 + 2.19 * 2.19, fit.sse(), 1e-12);
        assertArrayEquals(new double[] {15.803, 17.701}, fit.forecast(2), 1e-12);
    }

    @Test
    void schurCohnAndUnitRootDeflation() {
        // (z - 0.5)(z + 0.5) = z^2 - 0.25: inside; (z - 2)(z - 0.1) = z^2 - 2.1 z + 0.2: not
        assertTrue(EtsObjective.rootsInsideUnitCircle(new double[] {-0.25, 0, 1}));
        assertFalse(EtsObjective.rootsInsideUnitCircle(new double[] {0.2, -2.1, 1}));
        // (z - 1)(z - 0.5) = z^2 - 1.5 z + 0.5 divided by (z - 1) is z - 0.5
        assertArrayEquals(
                new double[] {-0.5, 1},
                EtsObjective.deflateByUnitRoot(new double[] {0.5, -1.5, 1}),
                1e-12);
    }

    @Test
    void nelderMeadFindsAQuadraticMinimum() {
        double[] x =
                new NelderMead(1e-14, 10_000)
                        .minimize(
                                p -> (p[0] - 1) * (p[0] - 1) + 10 * (p[1] + 2) * (p[1] + 2),
                                new double[] {0, 0},
                                new double[] {1, 1});
        assertEquals(1, x[0], 1e-5);
        assertEquals(-2, x[1], 1e-5);
    }

    @Test
    void badInputIsNamed() {
        InvalidHistoryException nan =
                assertThrows(
                        InvalidHistoryException.class,
                        () -> BaselineForecasts.of(new double[] {1, 2, Double.NaN, 4, 5}, 3, 1));
        assertTrue(nan.getMessage().contains("history[2] is NaN"), nan.getMessage());
        InvalidHistoryException horizon =
                assertThrows(
                        InvalidHistoryException.class,
                        () -> BaselineForecasts.of(new double[] {1, 2, 3, 4, 5}, 0, 1));
        assertTrue(horizon.getMessage().contains("horizon must be >= 1"), horizon.getMessage());
        InvalidHistoryException shortSeason =
                assertThrows(
                        InvalidHistoryException.class,
                        () -> EtsFit.fit(EtsSpec.AAA, new double[20], 12));
        assertTrue(shortSeason.getMessage().contains("at least 36"), shortSeason.getMessage());
        IllegalArgumentException freq =
                assertThrows(IllegalArgumentException.class, () -> Seasonality.naturalPeriod("X"));
        assertTrue(freq.getMessage().contains("Unknown frequency 'X'"), freq.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EtsSpec.parse("MAM"));
    }
}
