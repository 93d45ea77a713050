package io.moezoo.plots;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A probabilistic forecast: the observed history, the point forecast after it, shaded quantile
 * bands (for example 10%-90% and 25%-75%) and optionally the actual future values.
 *
 * <p>History value i sits at time {@code start + i}; forecast step h (0-based) at {@code start +
 * history.length + h}. The point forecast is drawn from the last observation so the two lines join.
 *
 * <pre>{@code
 * ForecastChart.builder().setHistory(past).setForecast(median)
 *     .addBand("10%-90%", p10, p90).optActual(future).build().writePng(file);
 * }</pre>
 */
public final class ForecastChart extends PngChart<XYChart> {

    private static final Color HISTORY = new Color(0x333333);
    private static final Color FORECAST = new Color(0x1f77b4);
    private static final Color ACTUAL = new Color(0xd62728);

    private ForecastChart(XYChart chart) {
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

    private record Band(String label, double[] lower, double[] upper) {}

    /** Builds a {@link ForecastChart}. */
    public static final class Builder extends ChartBuilder<Builder> {

        private double[] history;
        private double[] forecast;
        private double[] actual;
        private final List<Band> bands = new ArrayList<>();
        private double start;
        private String timeLabel = "time step";
        private String valueLabel = "value";

        private Builder() {
            super("Forecast", DEFAULT_WIDTH, DEFAULT_HEIGHT);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the observed history.
         *
         * @param history the past values, oldest first
         * @return this builder
         */
        public Builder setHistory(double[] history) {
            this.history = history;
            return this;
        }

        /**
         * Sets the point forecast (mean or median).
         *
         * @param forecast one value per forecast step
         * @return this builder
         */
        public Builder setForecast(double[] forecast) {
            this.forecast = forecast;
            return this;
        }

        /**
         * Adds a quantile band; wider bands are drawn lighter and behind narrower ones.
         *
         * @param label the legend label, for example "10%-90%"
         * @param lower the lower quantile per forecast step
         * @param upper the upper quantile per forecast step
         * @return this builder
         */
        public Builder addBand(String label, double[] lower, double[] upper) {
            bands.add(new Band(label, lower, upper));
            return this;
        }

        /**
         * Sets the actual values of the forecast steps, to compare against.
         *
         * @param actual one value per forecast step
         * @return this builder
         */
        public Builder optActual(double[] actual) {
            this.actual = actual;
            return this;
        }

        /**
         * Sets the time of the first history value (default 0).
         *
         * @param start the first time index
         * @return this builder
         */
        public Builder optStart(double start) {
            this.start = start;
            return this;
        }

        /**
         * Sets the axis titles.
         *
         * @param timeLabel the x axis title (default "time step")
         * @param valueLabel the y axis title (default "value")
         * @return this builder
         */
        public Builder optAxisLabels(String timeLabel, String valueLabel) {
            this.timeLabel = timeLabel;
            this.valueLabel = valueLabel;
            return this;
        }

        /**
         * Validates the inputs and builds the chart.
         *
         * @return the chart
         * @throws IllegalArgumentException if a series is missing, empty or not finite, if a band
         *     or the actual values do not have one value per forecast step, or if a band's lower
         *     quantile exceeds its upper quantile
         */
        public ForecastChart build() {
            InputChecks.requireFinite(history, "history");
            InputChecks.requireFinite(forecast, "forecast");
            if (!Double.isFinite(start)) {
                throw new IllegalArgumentException("start is " + start + "; must be finite");
            }
            int h = forecast.length;
            for (int b = 0; b < bands.size(); b++) {
                Band band = bands.get(b);
                String name = "band " + b + " (" + band.label() + ")";
                if (band.label() == null) {
                    throw new IllegalArgumentException("band " + b + " has no label");
                }
                InputChecks.requireFinite(band.lower(), name + " lower");
                InputChecks.requireFinite(band.upper(), name + " upper");
                if (band.lower().length != h || band.upper().length != h) {
                    throw new IllegalArgumentException(
                            name
                                    + " has "
                                    + band.lower().length
                                    + " lower and "
                                    + band.upper().length
                                    + " upper values but the forecast has "
                                    + h
                                    + " steps");
                }
                for (int i = 0; i < h; i++) {
                    if (band.lower()[i] > band.upper()[i]) {
                        throw new IllegalArgumentException(
                                name
                                        + " lower["
                                        + i
                                        + "]="
                                        + band.lower()[i]
                                        + " exceeds upper["
                                        + i
                                        + "]="
                                        + band.upper()[i]);
                    }
                }
            }
            if (actual != null) {
                InputChecks.requireFinite(actual, "actual");
                if (actual.length != h) {
                    throw new IllegalArgumentException(
                            "actual has "
                                    + actual.length
                                    + " values but the forecast has "
                                    + h
                                    + " steps");
                }
            }
            InputChecks.requireSize(width(), height());

            int n = history.length;
            double[] pastTime = new double[n];
            for (int i = 0; i < n; i++) {
                pastTime[i] = start + i;
            }
            double[] futureTime = new double[h];
            for (int i = 0; i < h; i++) {
                futureTime[i] = start + n + i;
            }

            XYChart chart =
                    new XYChartBuilder()
                            .width(width())
                            .height(height())
                            .title(title())
                            .xAxisTitle(timeLabel)
                            .yAxisTitle(valueLabel)
                            .build();
            chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
            chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
            chart.getStyler().setMarkerSize(5);

            List<Band> widestFirst = new ArrayList<>(bands);
            widestFirst.sort(Comparator.comparingDouble(Builder::meanWidth).reversed());
            for (int b = 0; b < widestFirst.size(); b++) {
                Band band = widestFirst.get(b);
                // A closed polygon: along the upper quantiles forward, back along the lower ones.
                double[] px = new double[2 * h];
                double[] py = new double[2 * h];
                for (int i = 0; i < h; i++) {
                    px[i] = futureTime[i];
                    py[i] = band.upper()[i];
                    px[2 * h - 1 - i] = futureTime[i];
                    py[2 * h - 1 - i] = band.lower()[i];
                }
                XYSeries s = chart.addSeries(band.label(), px, py);
                s.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
                int alpha = 50 + 50 * b / Math.max(1, widestFirst.size() - 1 + 1);
                s.setFillColor(new Color(31, 119, 180, alpha));
                s.setLineColor(new Color(31, 119, 180, 0));
                s.setMarker(SeriesMarkers.NONE);
            }
            XYSeries past = chart.addSeries("history", pastTime, history);
            past.setLineColor(HISTORY);
            past.setMarker(SeriesMarkers.NONE);

            double[] fx = new double[h + 1];
            double[] fy = new double[h + 1];
            fx[0] = pastTime[n - 1];
            fy[0] = history[n - 1];
            System.arraycopy(futureTime, 0, fx, 1, h);
            System.arraycopy(forecast, 0, fy, 1, h);
            XYSeries point = chart.addSeries("forecast", fx, fy);
            point.setLineColor(FORECAST);
            point.setMarker(SeriesMarkers.NONE);

            if (actual != null) {
                XYSeries truth = chart.addSeries("actual", futureTime, actual);
                truth.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
                truth.setMarker(SeriesMarkers.CIRCLE);
                truth.setMarkerColor(ACTUAL);
            }
            return new ForecastChart(chart);
        }

        private static double meanWidth(Band band) {
            double sum = 0;
            for (int i = 0; i < band.lower().length; i++) {
                sum += band.upper()[i] - band.lower()[i];
            }
            return sum / band.lower().length;
        }
    }
}
