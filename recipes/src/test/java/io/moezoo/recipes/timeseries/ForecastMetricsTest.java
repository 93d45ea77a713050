package io.moezoo.recipes.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** MASE, sMAPE and the naive baselines against hand-computed values. */
class ForecastMetricsTest {

    private static final float[] HISTORY = {1, 3, 2, 4, 3, 5};

    @Test
    void naiveAndSeasonalNaive() {
        assertArrayEquals(new float[] {5, 5, 5}, ForecastMetrics.naive(HISTORY, 3));
        // m = 2: the last season is (3, 5), repeated
        assertArrayEquals(
                new float[] {3, 5, 3, 5, 3}, ForecastMetrics.seasonalNaive(HISTORY, 5, 2));
        assertThrows(
                IllegalArgumentException.class, () -> ForecastMetrics.seasonalNaive(HISTORY, 3, 7));
    }

    @Test
    void maseUsesInSampleSeasonalScale() {
        // m = 1: |3-1|+|2-3|+|4-2|+|3-4|+|5-3| = 8 over 5 -> 1.6
        assertEquals(1.6, ForecastMetrics.scale(HISTORY, 1), 1e-12);
        // m = 2: |2-1|+|4-3|+|3-2|+|5-4| = 4 over 4 -> 1
        assertEquals(1.0, ForecastMetrics.scale(HISTORY, 2), 1e-12);
        float[] actual = {6, 4};
        float[] forecast = {5, 5};
        // MAE 1 -> 1/1.6 and 1/1
        assertEquals(0.625, ForecastMetrics.mase(actual, forecast, HISTORY, 1), 1e-12);
        assertEquals(1.0, ForecastMetrics.mase(actual, forecast, HISTORY, 2), 1e-12);
        assertThrows(
                IllegalArgumentException.class,
                () -> ForecastMetrics.scale(new float[] {2, 2, 2}, 1));
    }

    @Test
    void smapeInPercent() {
        // 200/2 * (|4-2|/(4+2) + |1-1|/2) = 100 * 1/3
        assertEquals(
                100.0 / 3, ForecastMetrics.smape(new float[] {4, 1}, new float[] {2, 1}), 1e-9);
        // a 0/0 term counts 0: 200/2 * (0 + 1) = 100
        assertEquals(100.0, ForecastMetrics.smape(new float[] {0, 1}, new float[] {0, -1}), 1e-9);
        assertThrows(
                IllegalArgumentException.class,
                () -> ForecastMetrics.smape(new float[] {1}, new float[] {1, 2}));
    }

    @Test
    void geometricMean() {
        assertEquals(4.0, ForecastMetrics.geometricMean(new double[] {2, 8}), 1e-12);
        assertEquals(3.0, ForecastMetrics.geometricMean(new double[] {1, 3, 9}), 1e-12);
        assertThrows(
                IllegalArgumentException.class,
                () -> ForecastMetrics.geometricMean(new double[] {1, 0}));
    }
}
