package io.moezoo.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Expert load per MoE layer as grouped bars: one group per expert, one bar per layer, and a dashed
 * line at the uniform load \(1/E\) that a perfectly balanced router would give.
 *
 * <p>Input: {@code loadFractions[layer][expert]}, the share of routed assignments each expert
 * processed in each layer (each row sums to one, or is all zero for a layer that routed nothing),
 * for example {@code RoutingStatistics.loadFractions()} of each layer.
 *
 * <pre>{@code
 * ExpertLoadChart.builder().setLoadFractions(fractions).build().writePng(Path.of("load.png"));
 * }</pre>
 */
public final class ExpertLoadChart extends PngChart<CategoryChart> {

    private ExpertLoadChart(CategoryChart chart) {
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

    /**
     * Charts the load of the layers with default labels.
     *
     * @param loadFractions {@code [layers][experts]} load fractions
     * @return the chart
     * @throws IllegalArgumentException if the fractions are invalid
     */
    public static ExpertLoadChart of(double[][] loadFractions) {
        return builder().setLoadFractions(loadFractions).build();
    }

    /** Builds an {@link ExpertLoadChart}. */
    public static final class Builder extends ChartBuilder<Builder> {

        private double[][] loadFractions;
        private List<String> layerLabels;
        private List<String> expertLabels;

        private Builder() {
            super("Expert load per layer", DEFAULT_WIDTH, DEFAULT_HEIGHT);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the load fractions.
         *
         * @param loadFractions {@code [layers][experts]}, each row summing to one (or all zero)
         * @return this builder
         */
        public Builder setLoadFractions(double[][] loadFractions) {
            this.loadFractions = loadFractions;
            return this;
        }

        /**
         * Sets the layer names shown in the legend (default "layer 0", "layer 1", ...).
         *
         * @param layerLabels one label per layer
         * @return this builder
         */
        public Builder optLayerLabels(List<String> layerLabels) {
            this.layerLabels = layerLabels;
            return this;
        }

        /**
         * Sets the expert names on the x axis (default "E0", "E1", ...).
         *
         * @param expertLabels one label per expert
         * @return this builder
         */
        public Builder optExpertLabels(List<String> expertLabels) {
            this.expertLabels = expertLabels;
            return this;
        }

        /**
         * Validates the inputs and builds the chart.
         *
         * @return the chart
         * @throws IllegalArgumentException if the fractions are null, empty, ragged, not finite,
         *     negative or do not sum to one per layer, or if a label list has the wrong size
         */
        public ExpertLoadChart build() {
            int experts = InputChecks.requireMatrix(loadFractions, "loadFractions");
            InputChecks.requireNonNegative(loadFractions, "loadFractions");
            int layers = loadFractions.length;
            for (int l = 0; l < layers; l++) {
                double sum = Arrays.stream(loadFractions[l]).sum();
                if (sum != 0 && Math.abs(sum - 1) > 1e-3) {
                    throw new IllegalArgumentException(
                            "loadFractions["
                                    + l
                                    + "] sums to "
                                    + sum
                                    + "; load fractions of a layer sum to 1 (or are all 0)");
                }
            }
            List<String> layerNames =
                    labels(layerLabels, layers, "layer ", "layerLabels", "layers");
            List<String> expertNames =
                    labels(expertLabels, experts, "E", "expertLabels", "experts");
            InputChecks.requireSize(width(), height());

            CategoryChart chart =
                    new CategoryChartBuilder()
                            .width(width())
                            .height(height())
                            .title(title())
                            .xAxisTitle("expert")
                            .yAxisTitle("share of routed assignments")
                            .build();
            chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
            chart.getStyler().setAvailableSpaceFill(0.8);
            chart.getStyler().setOverlapped(false);
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setYAxisDecimalPattern("0.00");
            for (int l = 0; l < layers; l++) {
                chart.addSeries(layerNames.get(l), expertNames, boxed(loadFractions[l]));
            }
            List<Double> uniform = new ArrayList<>();
            for (int e = 0; e < experts; e++) {
                uniform.add(1.0 / experts);
            }
            CategorySeries reference = chart.addSeries("uniform 1/E", expertNames, uniform);
            reference.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Line);
            reference.setLineColor(Color.DARK_GRAY);
            reference.setLineStyle(
                    new BasicStroke(
                            2f,
                            BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER,
                            10f,
                            new float[] {6f, 4f},
                            0f));
            reference.setMarker(SeriesMarkers.NONE);
            return new ExpertLoadChart(chart);
        }

        private static List<String> labels(
                List<String> given, int count, String prefix, String name, String what) {
            if (given != null) {
                InputChecks.requireLabels(given, count, name, what);
                return List.copyOf(given);
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(prefix + i);
            }
            return out;
        }

        private static List<Double> boxed(double[] values) {
            List<Double> out = new ArrayList<>(values.length);
            for (double v : values) {
                out.add(v);
            }
            return out;
        }
    }
}
