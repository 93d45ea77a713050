package io.moezoo.plots;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Routing weights of a sequence as a tokens x experts heat map: row t shows how token t's combine
 * weight is spread over the experts (zero for experts it was not routed to). Tokens read from top
 * to bottom in sequence order, labelled with their text (for example the decoded tokens of a
 * prompt).
 *
 * <pre>{@code
 * RoutingHeatmap.builder().setWeights(weights).setTokenLabels(tokens).build().toImage();
 * }</pre>
 */
public final class RoutingHeatmap extends PngChart<HeatMapChart> {

    private RoutingHeatmap(HeatMapChart chart) {
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
     * Makes a token label readable on an axis: control characters (newlines, tabs) become escapes
     * and an empty or blank token is shown quoted.
     *
     * @param token the token text
     * @return the label
     */
    public static String displayLabel(String token) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        String s = out.toString();
        return s.isBlank() ? "'" + s + "'" : s;
    }

    /**
     * Builds a {@link RoutingHeatmap}. The default size is 800 pixels wide and a height that grows
     * with the number of tokens ({@code optSize} with a height below 1 keeps that rule).
     */
    public static final class Builder extends ChartBuilder<Builder> {

        private float[][] weights;
        private List<String> tokenLabels;
        private List<String> expertLabels;
        private boolean showValues;

        private Builder() {
            super("Routing weights", DEFAULT_WIDTH, -1);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the routing weights.
         *
         * @param weights {@code [tokens][experts]} non-negative combine weights
         * @return this builder
         */
        public Builder setWeights(float[][] weights) {
            this.weights = weights;
            return this;
        }

        /**
         * Sets the token labels of the y axis (control characters are escaped).
         *
         * @param tokenLabels one label per token, in sequence order
         * @return this builder
         */
        public Builder setTokenLabels(List<String> tokenLabels) {
            this.tokenLabels = tokenLabels;
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
         * Writes each weight in its cell (off by default; readable for a few tokens and experts).
         *
         * @param showValues whether to annotate the cells
         * @return this builder
         */
        public Builder optShowValues(boolean showValues) {
            this.showValues = showValues;
            return this;
        }

        /**
         * Validates the inputs and builds the chart.
         *
         * @return the chart
         * @throws IllegalArgumentException if the weights are null, empty, ragged, not finite or
         *     negative, or a label list does not match the tokens or experts
         */
        public RoutingHeatmap build() {
            double[][] w = InputChecks.toDouble(weights, "weights");
            int experts = InputChecks.requireMatrix(w, "weights");
            InputChecks.requireNonNegative(w, "weights");
            int tokens = w.length;
            InputChecks.requireLabels(tokenLabels, tokens, "tokenLabels", "tokens (weight rows)");
            List<String> expertNames = new ArrayList<>();
            if (expertLabels != null) {
                InputChecks.requireLabels(
                        expertLabels, experts, "expertLabels", "experts (weight columns)");
                expertNames.addAll(expertLabels);
            } else {
                for (int e = 0; e < experts; e++) {
                    expertNames.add("E" + e);
                }
            }
            int h = height() > 0 ? height() : Math.min(4000, Math.max(300, 120 + 22 * tokens));
            InputChecks.requireSize(width(), h);

            // XChart draws y index 0 at the bottom: list the tokens bottom-up so the first token is
            // on top. Positions keep repeated tokens apart.
            List<String> yLabels = new ArrayList<>();
            for (int t = tokens - 1; t >= 0; t--) {
                yLabels.add(t + ": " + displayLabel(tokenLabels.get(t)));
            }
            double max = 0;
            List<Number[]> heat = new ArrayList<>();
            for (int t = 0; t < tokens; t++) {
                for (int e = 0; e < experts; e++) {
                    heat.add(new Number[] {e, tokens - 1 - t, w[t][e]});
                    max = Math.max(max, w[t][e]);
                }
            }
            HeatMapChart chart =
                    new HeatMapChartBuilder()
                            .width(width())
                            .height(h)
                            .title(title())
                            .xAxisTitle("expert")
                            .yAxisTitle("token")
                            .build();
            chart.getStyler().setMin(0);
            // Combine weights live in [0, 1]; a larger maximum (unnormalised scores) extends the
            // scale.
            chart.getStyler().setMax(Math.max(1.0, max));
            chart.getStyler()
                    .setRangeColors(
                            new Color[] {
                                Color.WHITE,
                                new Color(0x9ecae1),
                                new Color(0x3182bd),
                                new Color(0x08306b)
                            });
            chart.getStyler().setShowValue(showValues);
            chart.getStyler().setHeatMapValueDecimalPattern("0.00");
            chart.getStyler().setPlotContentSize(1.0);
            chart.getStyler().setLegendVisible(true);
            chart.addSeries("weight", expertNames, yLabels, heat);
            return new RoutingHeatmap(chart);
        }
    }
}
