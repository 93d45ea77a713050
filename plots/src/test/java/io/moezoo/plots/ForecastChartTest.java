package io.moezoo.plots;

import static io.moezoo.plots.PngAssertions.assertRejects;
import static io.moezoo.plots.PngAssertions.assertWritesPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;

class ForecastChartTest {

    private static double[] wave(int from, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 10 + 3 * Math.sin((from + i) / 4.0);
        }
        return v;
    }

    private static double[] shift(double[] v, double d) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += d * Math.sqrt(i + 1);
        }
        return out;
    }

    @Test
    void writesHistoryForecastBandsAndActual() throws Exception {
        double[] median = wave(48, 12);
        ForecastChart chart =
                ForecastChart.builder()
                        .setHistory(wave(0, 48))
                        .setForecast(median)
                        .addBand("25%-75%", shift(median, -0.4), shift(median, 0.4))
                        .addBand("10%-90%", shift(median, -1.0), shift(median, 1.0))
                        .optActual(wave(48, 12))
                        .build();
        BufferedImage image = assertWritesPng(chart, "forecast", 800, 500);
        // The wider band is drawn first (behind) and the band polygons close on themselves.
        List<String> order = List.copyOf(chart.getChart().getSeriesMap().keySet());
        assertEquals(List.of("10%-90%", "25%-75%", "history", "forecast", "actual"), order);
        XYSeries wide = chart.getChart().getSeriesMap().get("10%-90%");
        assertEquals(XYSeriesRenderStyle.PolygonArea, wide.getXYSeriesRenderStyle());
        assertEquals(24, wide.getXData().length);
        assertEquals(48.0, wide.getXData()[0]);
        assertEquals(48.0, wide.getXData()[23]);
        // Forecast joins the last observation.
        XYSeries forecast = chart.getChart().getSeriesMap().get("forecast");
        assertEquals(47.0, forecast.getXData()[0]);
        assertTrue(PngAssertions.pixelsNear(image, 0xd62728) > 50, "actual points drawn");
    }

    @Test
    void rejectsBadInput() {
        double[] f = {1, 2, 3};
        assertRejects(() -> ForecastChart.builder().setForecast(f).build(), "history", "null");
        assertRejects(
                () ->
                        ForecastChart.builder()
                                .setHistory(new double[] {1, Double.NaN})
                                .setForecast(f)
                                .build(),
                "history[1]",
                "NaN");
        assertRejects(
                () ->
                        ForecastChart.builder()
                                .setHistory(f)
                                .setForecast(f)
                                .addBand("10-90", new double[] {0, 1}, new double[] {2, 3})
                                .build(),
                "band 0 (10-90)",
                "2 lower",
                "3 steps");
        assertRejects(
                () ->
                        ForecastChart.builder()
                                .setHistory(f)
                                .setForecast(f)
                                .addBand("10-90", new double[] {0, 5, 2}, new double[] {2, 3, 4})
                                .build(),
                "lower[1]=5.0 exceeds upper[1]=3.0");
        assertRejects(
                () ->
                        ForecastChart.builder()
                                .setHistory(f)
                                .setForecast(f)
                                .optActual(new double[] {1})
                                .build(),
                "actual has 1 values",
                "3 steps");
    }
}
