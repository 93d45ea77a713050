package io.moezoo.plots;

import static io.moezoo.plots.PngAssertions.assertRejects;
import static io.moezoo.plots.PngAssertions.assertWritesPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpertLoadChartTest {

    private static final double[][] LOAD = {
        {0.40, 0.30, 0.20, 0.10}, {0.25, 0.25, 0.25, 0.25}, {0.10, 0.10, 0.10, 0.70}
    };

    @Test
    void writesGroupedBarsWithUniformReference() throws Exception {
        ExpertLoadChart chart =
                ExpertLoadChart.builder()
                        .setLoadFractions(LOAD)
                        .optLayerLabels(List.of("first", "middle", "last"))
                        .optSize(640, 400)
                        .build();
        BufferedImage image = assertWritesPng(chart, "expert-load", 640, 400);
        // One bar series per layer and the 1/E line.
        assertEquals(4, chart.getChart().getSeriesMap().size());
        List<Number> uniform =
                List.copyOf(chart.getChart().getSeriesMap().get("uniform 1/E").getYData());
        assertEquals(0.25, uniform.get(0).doubleValue(), 1e-12);
        assertEquals("expert", chart.getChart().getXAxisTitle());
        assertTrue(image.getWidth() == 640);
    }

    @Test
    void allZeroLayerIsAllowed() throws Exception {
        assertWritesPng(
                ExpertLoadChart.of(new double[][] {{0.5, 0.5}, {0, 0}}),
                "expert-load-zero",
                800,
                500);
    }

    @Test
    void rejectsBadInput() {
        assertRejects(() -> ExpertLoadChart.of(null), "loadFractions", "null");
        assertRejects(() -> ExpertLoadChart.of(new double[0][]), "loadFractions", "no rows");
        assertRejects(
                () -> ExpertLoadChart.of(new double[][] {{0.5, 0.5}, {1.0}}),
                "loadFractions",
                "ragged",
                "row 1");
        assertRejects(
                () -> ExpertLoadChart.of(new double[][] {{0.5, Double.NaN}}),
                "loadFractions[0][1]",
                "NaN");
        assertRejects(
                () -> ExpertLoadChart.of(new double[][] {{1.5, -0.5}}),
                "loadFractions[0][1]",
                ">= 0");
        assertRejects(
                () -> ExpertLoadChart.of(new double[][] {{0.5, 0.6}}),
                "loadFractions[0]",
                "sums to");
        assertRejects(
                () ->
                        ExpertLoadChart.builder()
                                .setLoadFractions(LOAD)
                                .optLayerLabels(List.of("a", "b"))
                                .build(),
                "layerLabels",
                "2 labels",
                "3 layers");
        assertRejects(
                () ->
                        ExpertLoadChart.builder()
                                .setLoadFractions(LOAD)
                                .optExpertLabels(List.of("a"))
                                .build(),
                "expertLabels",
                "4 experts");
        assertRejects(
                () -> ExpertLoadChart.builder().setLoadFractions(LOAD).optSize(10, 400).build(),
                "size");
    }
}
