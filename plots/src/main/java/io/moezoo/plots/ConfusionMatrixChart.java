package io.moezoo.plots;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * A confusion matrix: rows are the actual classes, columns the predicted ones. Cell colours are
 * row-normalised (the share of class r predicted as c, so every class reads on the same 0..1 scale
 * whatever its frequency) and each cell is annotated with its raw count.
 *
 * <pre>{@code
 * ConfusionMatrixChart.builder().setCounts(counts).setClassNames(names).build().writePng(file);
 * }</pre>
 */
public final class ConfusionMatrixChart extends PngChart<HeatMapChart> {

    private ConfusionMatrixChart(HeatMapChart chart) {
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

    /** Builds a {@link ConfusionMatrixChart}. */
    public static final class Builder extends ChartBuilder<Builder> {

        private int[][] counts;
        private List<String> classNames;

        private Builder() {
            super("Confusion matrix", 700, 600);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the counts.
         *
         * @param counts {@code counts[actual][predicted]}, square and non-negative
         * @return this builder
         */
        public Builder setCounts(int[][] counts) {
            this.counts = counts;
            return this;
        }

        /**
         * Sets the class names.
         *
         * @param classNames one name per class (row and column)
         * @return this builder
         */
        public Builder setClassNames(List<String> classNames) {
            this.classNames = classNames;
            return this;
        }

        /**
         * Validates the inputs and builds the chart.
         *
         * @return the chart
         * @throws IllegalArgumentException if the counts are null, empty, ragged, not square or
         *     negative, or the class names do not match the matrix size
         */
        public ConfusionMatrixChart build() {
            double[][] c = InputChecks.toDouble(counts, "counts");
            int n = InputChecks.requireMatrix(c, "counts");
            if (n != c.length) {
                throw new IllegalArgumentException(
                        "counts must be square but has "
                                + c.length
                                + " rows and "
                                + n
                                + " columns");
            }
            InputChecks.requireNonNegative(c, "counts");
            InputChecks.requireLabels(classNames, n, "classNames", "classes (rows of counts)");
            InputChecks.requireSize(width(), height());

            List<String> predicted = new ArrayList<>(classNames);
            List<String> actualBottomUp = new ArrayList<>();
            for (int r = n - 1; r >= 0; r--) {
                actualBottomUp.add(classNames.get(r));
            }
            List<Number[]> heat = new ArrayList<>();
            String[][] labels = new String[n][n];
            for (int r = 0; r < n; r++) {
                long total = 0;
                for (int k = 0; k < n; k++) {
                    total += counts[r][k];
                }
                for (int k = 0; k < n; k++) {
                    double share = total == 0 ? 0 : (double) counts[r][k] / total;
                    heat.add(new Number[] {k, n - 1 - r, share});
                    labels[n - 1 - r][k] = Integer.toString(counts[r][k]);
                }
            }
            CountAnnotatedHeatMap chart =
                    new CountAnnotatedHeatMap(
                            new HeatMapChartBuilder()
                                    .width(width())
                                    .height(height())
                                    .title(title())
                                    .xAxisTitle("predicted")
                                    .yAxisTitle("actual"),
                            labels);
            chart.getStyler().setMin(0);
            chart.getStyler().setMax(1);
            chart.getStyler()
                    .setRangeColors(
                            new Color[] {
                                Color.WHITE,
                                new Color(0xa1d99b),
                                new Color(0x31a354),
                                new Color(0x00441b)
                            });
            chart.getStyler().setPlotContentSize(1.0);
            chart.getStyler().setShowValue(false);
            chart.getStyler().setHeatMapValueDecimalPattern("0.00");
            chart.addSeries("share of actual class", predicted, actualBottomUp, heat);
            return new ConfusionMatrixChart(chart);
        }
    }

    /**
     * A heat map that writes a label (the raw count) in each cell over the colour (the row share).
     * XChart's own cell values can only print the coloured value itself.
     */
    private static final class CountAnnotatedHeatMap extends HeatMapChart {

        private final String[][] labels;

        CountAnnotatedHeatMap(HeatMapChartBuilder builder, String[][] labels) {
            super(builder);
            this.labels = labels;
        }

        @Override
        public void paint(Graphics2D g, int width, int height) {
            super.paint(g, width, height);
            int rows = labels.length;
            int cols = labels[0].length;
            // Same cell geometry as XChart's heat map plot content (plot content size 1.0).
            Rectangle2D bounds = plot.getBounds();
            double cellWidth = bounds.getWidth() / cols;
            double cellHeight = bounds.getHeight() / rows;
            int fontSize = (int) Math.max(9, Math.min(16, Math.min(cellWidth, cellHeight) / 3));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
            FontMetrics metrics = g.getFontMetrics();
            List<? extends Number[]> data = getHeatMapSeries().getHeatData();
            for (Number[] cell : data) {
                int x = cell[0].intValue();
                int y = cell[1].intValue();
                double share = cell[2].doubleValue();
                String text = labels[y][x];
                double cx = bounds.getX() + (x + 0.5) * cellWidth;
                double cy = bounds.getY() + (rows - 1 - y + 0.5) * cellHeight;
                g.setColor(share > 0.55 ? Color.WHITE : Color.BLACK);
                g.drawString(
                        text,
                        (float) (cx - metrics.stringWidth(text) / 2.0),
                        (float) (cy + (metrics.getAscent() - metrics.getDescent()) / 2.0));
            }
        }
    }
}
