package io.moezoo.plots;

import java.awt.Color;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.Styler.YAxisPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Training curves of an MoE model: the task loss per step on the left axis, the auxiliary
 * (load-balancing, z-) loss per step on a right axis of its own scale, and optionally a validation
 * metric (for example accuracy per epoch) on a second right axis.
 *
 * <pre>{@code
 * TrainingCurves.builder().setTaskLoss(task).optAuxLoss(aux).build().writePng(file);
 * }</pre>
 */
public final class TrainingCurves extends PngChart<XYChart> {

    private static final Color TASK = new Color(0x1f77b4);
    private static final Color AUX = new Color(0xff7f0e);
    private static final Color VALIDATION = new Color(0x2ca02c);

    private TrainingCurves(XYChart chart) {
        super(chart);
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link TrainingCurves}. */
    public static final class Builder extends ChartBuilder<Builder> {

        private double[] steps;
        private double[] taskLoss;
        private double[] auxLoss;
        private String validationName;
        private double[] validationSteps;
        private double[] validationValues;
        private String stepLabel = "step";

        private Builder() {
            super("Training curves", DEFAULT_WIDTH, DEFAULT_HEIGHT);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the task loss of each step.
         *
         * @param taskLoss the task loss, one value per step
         * @return this builder
         */
        public Builder setTaskLoss(double[] taskLoss) {
            this.taskLoss = taskLoss;
            return this;
        }

        /**
         * Sets the auxiliary loss of each step (same steps as the task loss).
         *
         * @param auxLoss the weighted auxiliary loss, one value per step
         * @return this builder
         */
        public Builder optAuxLoss(double[] auxLoss) {
            this.auxLoss = auxLoss;
            return this;
        }

        /**
         * Sets the x positions of the losses (default 1, 2, ..., n).
         *
         * @param steps one step number per loss value
         * @return this builder
         */
        public Builder optSteps(double[] steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Adds a validation metric measured at some steps.
         *
         * @param name the metric name (axis title and legend)
         * @param steps the steps at which it was measured
         * @param values the metric values
         * @return this builder
         */
        public Builder optValidation(String name, double[] steps, double[] values) {
            this.validationName = name;
            this.validationSteps = steps;
            this.validationValues = values;
            return this;
        }

        /**
         * Sets the x axis title (default "step").
         *
         * @param stepLabel the x axis title
         * @return this builder
         */
        public Builder optStepLabel(String stepLabel) {
            this.stepLabel = stepLabel;
            return this;
        }

        /**
         * Validates the inputs and builds the chart.
         *
         * @return the chart
         * @throws IllegalArgumentException if a series is missing, empty, not finite or of a length
         *     that does not match its steps
         */
        public TrainingCurves build() {
            InputChecks.requireFinite(taskLoss, "taskLoss");
            int n = taskLoss.length;
            double[] x = steps;
            if (x == null) {
                x = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = i + 1;
                }
            } else {
                InputChecks.requireFinite(x, "steps");
                requireLength(x, n, "steps", "taskLoss");
            }
            if (auxLoss != null) {
                InputChecks.requireFinite(auxLoss, "auxLoss");
                requireLength(auxLoss, n, "auxLoss", "taskLoss");
            }
            if (validationSteps != null || validationValues != null) {
                if (validationName == null || validationName.isBlank()) {
                    throw new IllegalArgumentException("validation name is required");
                }
                InputChecks.requireFinite(validationSteps, "validationSteps");
                InputChecks.requireFinite(validationValues, "validationValues");
                requireLength(
                        validationValues,
                        validationSteps.length,
                        "validationValues",
                        "validationSteps");
            }
            InputChecks.requireSize(width(), height());

            XYChart chart =
                    new XYChartBuilder()
                            .width(width())
                            .height(height())
                            .title(title())
                            .xAxisTitle(stepLabel)
                            .yAxisTitle("task loss")
                            .build();
            chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
            chart.getStyler().setYAxisGroupTitleColor(0, TASK);
            XYSeries task = chart.addSeries("task loss", x, taskLoss);
            style(task, TASK);
            if (auxLoss != null) {
                XYSeries aux = chart.addSeries("aux loss", x, auxLoss);
                style(aux, AUX);
                aux.setYAxisGroup(1);
                chart.setYAxisGroupTitle(1, "aux loss");
                chart.getStyler().setYAxisGroupPosition(1, YAxisPosition.Right);
                chart.getStyler().setYAxisGroupTitleColor(1, AUX);
                chart.getStyler().putYAxisGroupDecimalPatternMap(1, "0.0###");
            }
            if (validationValues != null) {
                XYSeries validation =
                        chart.addSeries(validationName, validationSteps, validationValues);
                validation.setLineColor(VALIDATION);
                validation.setMarkerColor(VALIDATION);
                validation.setMarker(SeriesMarkers.CIRCLE);
                validation.setYAxisGroup(2);
                chart.setYAxisGroupTitle(2, validationName);
                chart.getStyler().setYAxisGroupPosition(2, YAxisPosition.Right);
                chart.getStyler().setYAxisGroupTitleColor(2, VALIDATION);
            }
            return new TrainingCurves(chart);
        }

        private static void style(XYSeries series, Color color) {
            series.setLineColor(color);
            series.setMarker(SeriesMarkers.NONE);
        }

        private static void requireLength(double[] values, int n, String name, String other) {
            if (values.length != n) {
                throw new IllegalArgumentException(
                        name + " has " + values.length + " values but " + other + " has " + n);
            }
        }
    }
}
