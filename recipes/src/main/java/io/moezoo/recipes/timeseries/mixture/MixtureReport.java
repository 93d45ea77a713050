package io.moezoo.recipes.timeseries.mixture;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link MixtureRecipe} run measured, written as {@code result.json} and {@code result.md}.
 *
 * @param seed the seed
 * @param trainWindows training windows
 * @param validationWindows validation windows
 * @param candidates every recipe tried with its validation scores
 * @param singleExperts each expert alone on the validation windows
 * @param chosen the chosen recipe
 * @param router the chosen router, refitted on training and validation windows
 * @param heldOut scores on the card's held-out tails
 * @param zeroShot scores on the card's zero-shot series
 * @param seconds wall-clock seconds of the run
 */
public record MixtureReport(
        long seed,
        int trainWindows,
        int validationWindows,
        List<Candidate> candidates,
        Map<String, Map<String, Double>> singleExperts,
        String chosen,
        SoftmaxRouter router,
        List<MixtureScore> heldOut,
        List<MixtureScore> zeroShot,
        double seconds) {

    /**
     * A recipe tried and its validation scores.
     *
     * @param recipe the description
     * @param validation source → geometric-mean MASE, and {@code score}
     */
    public record Candidate(String recipe, Map<String, Double> validation) {}

    /**
     * Writes {@code result.json} and {@code result.md}.
     *
     * @param dir the directory
     * @throws IOException if they cannot be written
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("result.json"),
                new GsonBuilder()
                        .setPrettyPrinting()
                        .serializeSpecialFloatingPointValues()
                        .create()
                        .toJson(this),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("result.md"), markdown(), StandardCharsets.UTF_8);
    }

    /**
     * The report as Markdown: recipes tried, the router's weights, the two sets' aggregates and
     * per-series rows.
     *
     * @return the text
     */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "# Forecast mixture, seed %d%n%n%d training and %d validation windows;"
                                + " %.0f s.%n%n## Recipes tried (validation geometric-mean MASE)%n%n",
                        seed,
                        trainWindows,
                        validationWindows,
                        seconds));
        b.append(
                "score: the geometric mean over r and synthetic; vega is a diagnostic (the"
                        + " shipped network saw those windows) unless the run put the vega windows"
                        + " in the split (--vega-windows, with a --window-network that did not see"
                        + " them), then it counts in the score too.\n\n"
                        + "| recipe | r | synthetic | score | vega |\n|---|---:|---:|---:|---:|\n");
        for (Candidate c : candidates) {
            row(b, c.recipe(), c.validation());
        }
        for (Map.Entry<String, Map<String, Double>> e : singleExperts.entrySet()) {
            row(b, e.getKey() + " alone", e.getValue());
        }
        b.append("\nChosen: ").append(chosen).append("\n\n## Router (standardised features)\n\n");
        b.append("| feature | mean | sd |");
        for (String expert : router.experts()) {
            b.append(' ').append(expert).append(" |");
        }
        b.append("\n|---|---:|---:|").append("---:|".repeat(router.experts().size())).append('\n');
        int f = router.features().size();
        for (int j = 0; j <= f; j++) {
            b.append("| ").append(j < f ? router.features().get(j) : "bias").append(" | ");
            b.append(j < f ? fmt(router.means()[j]) + " | " + fmt(router.stds()[j]) : " | ");
            b.append(" |");
            for (double[] row : router.theta()) {
                b.append(' ').append(fmt(row[j])).append(" |");
            }
            b.append('\n');
        }
        b.append("\n## Card sets (geometric-mean MASE / mean sMAPE)\n\n| set |");
        List<String> columns = new java.util.ArrayList<>(ExpertPanel.EXPERTS);
        columns.add("mixture");
        for (String c : columns) {
            b.append(' ').append(c).append(" |");
        }
        b.append("\n|---|").append("---:|".repeat(columns.size())).append('\n');
        aggregate(b, "held-out tails (" + heldOut.size() + ")", heldOut, columns.size());
        aggregate(b, "zero-shot (" + zeroShot.size() + ")", zeroShot, columns.size());
        b.append("\n## Per series (MASE; weights of the router's experts)\n\n");
        b.append("| set | series | m |");
        for (String c : columns) {
            b.append(' ').append(c).append(" |");
        }
        b.append(" weights |\n|---|---|---:|").append("---:|".repeat(columns.size()));
        b.append("---|\n");
        perSeries(b, "train tail", heldOut);
        perSeries(b, "zero-shot", zeroShot);
        return b.toString();
    }

    private static void row(StringBuilder b, String name, Map<String, Double> v) {
        b.append("| ").append(name).append(" |");
        for (String k : new String[] {"r", "synthetic", "score", "vega"}) {
            Double x = v.get(k);
            b.append(' ').append(x == null ? "" : fmt(x)).append(" |");
        }
        b.append('\n');
    }

    private static void aggregate(
            StringBuilder b, String name, List<MixtureScore> scores, int columns) {
        b.append("| ").append(name).append(" |");
        for (int c = 0; c < columns; c++) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            " %.3f / %.2f |",
                            MixtureEvaluation.geoMeanMase(scores, c),
                            MixtureEvaluation.meanSmape(scores, c)));
        }
        b.append('\n');
    }

    private static void perSeries(StringBuilder b, String set, List<MixtureScore> scores) {
        for (MixtureScore s : scores) {
            b.append("| ").append(set).append(" | ").append(s.name()).append(" | ");
            b.append(s.season()).append(" |");
            for (double v : s.mase()) {
                b.append(' ').append(fmt(v)).append(" |");
            }
            b.append(' ');
            for (int k = 0; k < s.weights().length; k++) {
                b.append(k == 0 ? "" : " ")
                        .append(String.format(Locale.ROOT, "%.2f", s.weights()[k]));
            }
            b.append(" |\n");
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
