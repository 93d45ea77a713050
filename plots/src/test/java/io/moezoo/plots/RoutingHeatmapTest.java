package io.moezoo.plots;

import static io.moezoo.plots.PngAssertions.assertRejects;
import static io.moezoo.plots.PngAssertions.assertWritesPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingHeatmapTest {

    private static final List<String> TOKENS =
            List.of("The", " cat", " sat", " on", " the", " mat");

    private static float[][] top2Weights() {
        float[][] w = new float[TOKENS.size()][4];
        for (int t = 0; t < w.length; t++) {
            w[t][t % 4] = 0.7f;
            w[t][(t + 1) % 4] = 0.3f;
        }
        return w;
    }

    @Test
    void writesTokensByExperts() throws Exception {
        RoutingHeatmap chart =
                RoutingHeatmap.builder()
                        .setWeights(top2Weights())
                        .setTokenLabels(TOKENS)
                        .optShowValues(true)
                        .build();
        int expectedHeight = Math.max(300, 120 + 22 * TOKENS.size());
        BufferedImage image = assertWritesPng(chart, "routing-heatmap", 800, expectedHeight);
        List<?> y = chart.getChart().getHeatMapSeries().getYData();
        // First token on top: XChart's y index 0 is the bottom row.
        assertEquals("0: The", y.get(y.size() - 1));
        assertEquals("5:  mat", y.get(0));
        // The heaviest weight is drawn in the darkest colour of the scale.
        assertTrue(PngAssertions.pixelsNear(image, 0x08306b) > 500, "dark cells present");
    }

    @Test
    void escapesControlCharactersInLabels() {
        assertEquals("a\\nb", RoutingHeatmap.displayLabel("a\nb"));
        assertEquals("' '", RoutingHeatmap.displayLabel(" "));
        assertEquals("\\u0000", RoutingHeatmap.displayLabel("\u0000"));
    }

    @Test
    void rejectsBadInput() {
        assertRejects(
                () -> RoutingHeatmap.builder().setTokenLabels(TOKENS).build(), "weights", "null");
        assertRejects(
                () ->
                        RoutingHeatmap.builder()
                                .setWeights(new float[][] {{1, 0}, {1}})
                                .setTokenLabels(List.of("a", "b"))
                                .build(),
                "weights",
                "ragged");
        assertRejects(
                () ->
                        RoutingHeatmap.builder()
                                .setWeights(new float[][] {{Float.NaN, 0}})
                                .setTokenLabels(List.of("a"))
                                .build(),
                "weights[0][0]",
                "NaN");
        assertRejects(
                () ->
                        RoutingHeatmap.builder()
                                .setWeights(top2Weights())
                                .setTokenLabels(List.of("a"))
                                .build(),
                "tokenLabels",
                "1 labels",
                "6 tokens");
        assertRejects(
                () ->
                        RoutingHeatmap.builder()
                                .setWeights(top2Weights())
                                .setTokenLabels(TOKENS)
                                .optExpertLabels(List.of("x", "y"))
                                .build(),
                "expertLabels",
                "4 experts");
        assertRejects(
                () ->
                        RoutingHeatmap.builder()
                                .setWeights(new float[][] {{-0.1f, 1.1f}})
                                .setTokenLabels(List.of("a"))
                                .build(),
                "weights[0][0]",
                ">= 0");
    }
}
