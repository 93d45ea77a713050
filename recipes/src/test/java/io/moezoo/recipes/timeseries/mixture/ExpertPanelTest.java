package io.moezoo.recipes.timeseries.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A window's forecasts, scale and holdout features on a ramp, worked out by hand. */
class ExpertPanelTest {

    static double feature(ForecastWindow w, String name) {
        return w.features()[ExpertPanel.FEATURES.indexOf(name)];
    }

    @Test
    void rampWindowByHand() throws Exception {
        double[] history = new double[40];
        for (int t = 0; t < 40; t++) {
            history[t] = t;
        }
        double[] actual = {40, 41, 42, 43, 44};
        // a network that always forecasts 0
        ForecastWindow w =
                ExpertPanel.window(
                        new ForecastTask("ramp", history, actual, 12, "M"),
                        (h, horizon, freq) -> new double[horizon]);
        // constant differences are not seasonal: m = 1, scale = mean |lag-1 difference| = 1
        assertEquals(1, w.season());
        assertEquals(1, w.scale(), 0);
        assertArrayEquals(new double[] {39, 39, 39, 39, 39}, w.forecasts()[0], 0);
        assertArrayEquals(w.forecasts()[0], w.forecasts()[1], 0);
        // naive misses by 1..5: MASE 3; the network by 40..44: MASE 42
        assertEquals(3, w.mase(0), 1e-12);
        assertEquals(42, w.mase(ExpertPanel.EXPERTS.indexOf("network")), 1e-12);
        assertEquals(ExpertPanel.FEATURES.size(), w.features().length);
        // the inner holdout forecasts 35..39 from 0..34: naive (34) misses by 1..5; the network
        // has no holdout feature
        assertEquals(1, feature(w, "holdout_available"), 0);
        assertEquals(Math.log(3), feature(w, "holdout_naive"), 1e-12);
        assertEquals(Math.log(3), feature(w, "holdout_seasonal_naive"), 1e-12);
        assertEquals(-1, ExpertPanel.FEATURES.indexOf("holdout_network"));
        assertTrue(ExpertPanel.FEATURES.contains("holdout_comb_shd"));
        assertEquals(SeriesFeatures.NAMES.size() + 7, ExpertPanel.FEATURES.size());
        // ARIMA: the KPSS test asks for one difference, which is constant (1), so the model is
        // the random walk with drift 1: it continues the ramp exactly, here and in the holdout
        assertArrayEquals(actual, w.forecasts()[ExpertPanel.EXPERTS.indexOf("arima")], 1e-9);
        assertEquals(Math.log(0.01), feature(w, "holdout_arima"), 1e-9);
        assertEquals(Math.log10(40), feature(w, "log_length"), 1e-12);
    }

    @Test
    void holdoutFeaturesAverageTheOriginsByHand() throws Exception {
        // a ramp that jumps by 10 at t = 35: only the last origin sees the jump
        double[] history = new double[40];
        for (int t = 0; t < 40; t++) {
            history[t] = t < 35 ? t : t + 10;
        }
        ForecastWindow w =
                ExpertPanel.window(
                        new ForecastTask("jump", history, new double[5], 12, "M"),
                        (h, horizon, freq) -> new double[horizon],
                        3);
        assertEquals(1, w.season());
        // scale: 38 lag-1 differences of 1 and one of 11, over 39
        double scale = 49.0 / 39;
        assertEquals(scale, w.scale(), 1e-12);
        // naive from 0..34 misses 45..49 by 11..15 (mean 13); from 0..29 and 0..24 by 1..5 (3)
        double expected = (Math.log(13 / scale) + 2 * Math.log(3 / scale)) / 3;
        assertEquals(expected, feature(w, "holdout_naive"), 1e-12);
        assertEquals(1, feature(w, "holdout_available"), 0);
    }

    @Test
    void shortHistoriesHaveNoHoldoutAndFlatOnesNoWindow() throws Exception {
        double[] history = new double[16];
        for (int t = 0; t < 16; t++) {
            history[t] = Math.sin(t);
        }
        ForecastWindow w =
                ExpertPanel.window(
                        new ForecastTask("short", history, new double[5], 1, "Y"),
                        (h, horizon, freq) -> new double[horizon]);
        // 16 - 5 = 11 inner values are fewer than 12
        assertEquals(0, feature(w, "holdout_available"), 0);
        assertEquals(0, feature(w, "holdout_naive"), 0);
        assertNull(
                ExpertPanel.window(
                        new ForecastTask("flat", new double[20], new double[3], 1, "Y"),
                        (h, horizon, freq) -> new double[horizon]));
    }
}
