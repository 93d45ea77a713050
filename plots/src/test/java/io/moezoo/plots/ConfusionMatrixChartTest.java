package io.moezoo.plots;

import static io.moezoo.plots.PngAssertions.assertRejects;
import static io.moezoo.plots.PngAssertions.assertWritesPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixChartTest {

    private static final int[][] COUNTS = {{90, 8, 2}, {5, 40, 5}, {0, 1, 9}};
    private static final List<String> NAMES = List.of("cat", "dog", "bird");

    @Test
    void colourIsRowShareAndCellsAreAnnotated() throws Exception {
        ConfusionMatrixChart chart =
                ConfusionMatrixChart.builder().setCounts(COUNTS).setClassNames(NAMES).build();
        BufferedImage image = assertWritesPng(chart, "confusion-matrix", 700, 600);
        // Row-normalised: bird (10 samples, 9 right) has the same share 0.9 as cat (90 of 100).
        double birdDiagonal = Double.NaN;
        double catDiagonal = Double.NaN;
        for (Number[] cell : chart.getChart().getHeatMapSeries().getHeatData()) {
            if (cell[0].intValue() == 2 && cell[1].intValue() == 0) {
                birdDiagonal = cell[2].doubleValue();
            }
            if (cell[0].intValue() == 0 && cell[1].intValue() == 2) {
                catDiagonal = cell[2].doubleValue();
            }
        }
        assertEquals(0.9, birdDiagonal, 1e-12);
        assertEquals(0.9, catDiagonal, 1e-12);
        // Count labels are drawn in white on the dark diagonal cells.
        ConfusionMatrixChart blank =
                ConfusionMatrixChart.builder()
                        .setCounts(new int[][] {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}})
                        .setClassNames(NAMES)
                        .build();
        BufferedImage empty = blank.toImage();
        assertTrue(
                PngAssertions.pixelsNear(image, 0xffffff)
                        != PngAssertions.pixelsNear(empty, 0xffffff),
                "counts and colours change the picture");
        assertTrue(whiteInside(image, 0x00441b) > 20, "white count text on dark cells");
    }

    /** Counts white pixels whose left neighbour 3 px away has the given dark colour. */
    private static int whiteInside(BufferedImage image, int dark) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 3; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y) & 0xffffff;
                int q = image.getRGB(x - 3, y) & 0xffffff;
                if (p == 0xffffff && near(q, dark)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean near(int a, int b) {
        return Math.abs(((a >> 16) & 0xff) - ((b >> 16) & 0xff)) <= 40
                && Math.abs(((a >> 8) & 0xff) - ((b >> 8) & 0xff)) <= 40
                && Math.abs((a & 0xff) - (b & 0xff)) <= 40;
    }

    @Test
    void rejectsBadInput() {
        assertRejects(
                () -> ConfusionMatrixChart.builder().setClassNames(NAMES).build(),
                "counts",
                "null");
        assertRejects(
                () ->
                        ConfusionMatrixChart.builder()
                                .setCounts(new int[][] {{1, 2}, {3}})
                                .setClassNames(List.of("a", "b"))
                                .build(),
                "counts",
                "ragged");
        assertRejects(
                () ->
                        ConfusionMatrixChart.builder()
                                .setCounts(new int[][] {{1, 2, 3}, {3, 4, 5}})
                                .setClassNames(List.of("a", "b"))
                                .build(),
                "square",
                "2 rows and 3 columns");
        assertRejects(
                () ->
                        ConfusionMatrixChart.builder()
                                .setCounts(new int[][] {{1, -2}, {3, 4}})
                                .setClassNames(List.of("a", "b"))
                                .build(),
                "counts[0][1]",
                ">= 0");
        assertRejects(
                () ->
                        ConfusionMatrixChart.builder()
                                .setCounts(COUNTS)
                                .setClassNames(List.of("a"))
                                .build(),
                "classNames",
                "1 labels",
                "3 classes");
    }
}
