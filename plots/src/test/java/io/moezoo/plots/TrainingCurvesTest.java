package io.moezoo.plots;

import static io.moezoo.plots.PngAssertions.assertRejects;
import static io.moezoo.plots.PngAssertions.assertWritesPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYSeries;

class TrainingCurvesTest {

    private static double[] decay(int n, double start, double rate) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start * Math.exp(-rate * i) + 0.05 * Math.sin(i);
        }
        return v;
    }

    @Test
    void writesTaskAuxAndValidationOnSeparateAxes() throws Exception {
        TrainingCurves chart =
                TrainingCurves.builder()
                        .setTaskLoss(decay(200, 2.0, 0.02))
                        .optAuxLoss(decay(200, 0.02, 0.01))
                        .optValidation(
                                "accuracy",
                                new double[] {50, 100, 150, 200},
                                new double[] {0.5, 0.7, 0.8, 0.85})
                        .build();
        BufferedImage image = assertWritesPng(chart, "training-curves", 800, 500);
        XYSeries aux = chart.getChart().getSeriesMap().get("aux loss");
        assertEquals(1, aux.getYAxisGroup(), "aux loss has its own axis");
        assertEquals(2, chart.getChart().getSeriesMap().get("accuracy").getYAxisGroup());
        assertEquals("aux loss", chart.getChart().getYAxisGroupTitle(1));
        // Both loss colours appear in the picture.
        assertTrue(PngAssertions.pixelsNear(image, 0x1f77b4) > 200, "task loss line drawn");
        assertTrue(PngAssertions.pixelsNear(image, 0xff7f0e) > 200, "aux loss line drawn");
    }

    @Test
    void taskLossAloneWithExplicitSteps() throws Exception {
        assertWritesPng(
                TrainingCurves.builder()
                        .setTaskLoss(new double[] {3, 2, 1.5, 1.2})
                        .optSteps(new double[] {10, 20, 30, 40})
                        .optSize(500, 300)
                        .build(),
                "training-curves-task-only",
                500,
                300);
    }

    @Test
    void rejectsBadInput() {
        assertRejects(() -> TrainingCurves.builder().build(), "taskLoss", "null");
        assertRejects(
                () -> TrainingCurves.builder().setTaskLoss(new double[] {1, Double.NaN}).build(),
                "taskLoss[1]",
                "NaN");
        assertRejects(
                () ->
                        TrainingCurves.builder()
                                .setTaskLoss(new double[] {1, 2})
                                .optAuxLoss(new double[] {1})
                                .build(),
                "auxLoss",
                "1 values",
                "taskLoss has 2");
        assertRejects(
                () ->
                        TrainingCurves.builder()
                                .setTaskLoss(new double[] {1, 2})
                                .optSteps(new double[] {1, 2, 3})
                                .build(),
                "steps",
                "3 values");
        assertRejects(
                () ->
                        TrainingCurves.builder()
                                .setTaskLoss(new double[] {1, 2})
                                .optValidation("acc", new double[] {1, 2}, new double[] {0.5})
                                .build(),
                "validationValues",
                "validationSteps has 2");
        assertRejects(
                () ->
                        TrainingCurves.builder()
                                .setTaskLoss(new double[] {1, 2})
                                .optAuxLoss(new double[] {1, Double.POSITIVE_INFINITY})
                                .build(),
                "auxLoss[1]",
                "Infinity");
    }
}
