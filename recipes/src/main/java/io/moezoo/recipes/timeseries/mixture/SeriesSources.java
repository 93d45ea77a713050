package io.moezoo.recipes.timeseries.mixture;

import io.moezoo.recipes.timeseries.VegaCatalog;
import io.moezoo.recipes.timeseries.VegaSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The series the router is trained and validated on: R's bundled series (exported by {@code
 * tools/r-series.R}), KernelSynth synthetic series and the vega training series of the card.
 */
public final class SeriesSources {

    /** The length of a synthetic series. */
    public static final int SYNTHETIC_LENGTH = 256;

    private static final String[] SYNTHETIC_FREQ = {"Y", "Q", "M", "D", "H"};
    private static final int[] SYNTHETIC_PERIOD = {1, 4, 12, 7, 24};
    private static final int[] SYNTHETIC_HORIZON = {10, 8, 12, 14, 48};

    private SeriesSources() {}

    /**
     * Reads the R series: lines {@code name TAB frequency TAB v1,v2,...}.
     *
     * @param tsv the file written by {@code tools/r-series.R}
     * @return the series, in file order
     * @throws IOException if the file cannot be read or a line is malformed
     */
    public static List<SourceSeries> rSeries(Path tsv) throws IOException {
        List<SourceSeries> out = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t");
            if (parts.length != 3) {
                throw new IOException(tsv + ":" + lineNumber + ": expected 3 tab-separated fields");
            }
            String[] cells = parts[2].split(",");
            double[] values = new double[cells.length];
            try {
                for (int i = 0; i < cells.length; i++) {
                    values[i] = Double.parseDouble(cells[i].trim());
                }
                out.add(fromR(parts[0], Double.parseDouble(parts[1].trim()), values));
            } catch (NumberFormatException e) {
                throw new IOException(tsv + ":" + lineNumber + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * A series with R's {@code frequency}: 4 quarterly (m = 4, H = 8), 12 monthly (12, 12), 13 and
     * 52 four-weekly / weekly (m = 13 / 52, H = 13), 365 daily (7, 14), 248 and 260 trading days
     * (5, 14), 336 half-hourly (48, 48); anything else, yearly included, non-seasonal with H = 10.
     *
     * @param name the name
     * @param frequency R's frequency
     * @param values the values
     * @return the series
     */
    public static SourceSeries fromR(String name, double frequency, double[] values) {
        int f = (int) Math.round(frequency);
        return switch (f) {
            case 4 -> new SourceSeries(name, "r", values, 4, 8, "Q");
            case 12 -> new SourceSeries(name, "r", values, 12, 12, "M");
            case 13, 52 -> new SourceSeries(name, "r", values, f, 13, "W");
            case 365 -> new SourceSeries(name, "r", values, 7, 14, "D");
            case 248, 260 -> new SourceSeries(name, "r", values, 5, 14, "B");
            case 336 -> new SourceSeries(name, "r", values, 48, 48, "H");
            default -> new SourceSeries(name, "r", values, 1, 10, "Y");
        };
    }

    /**
     * KernelSynth series, the i-th with frequency i mod 5 of yearly, quarterly, monthly, daily,
     * hourly (natural period and card horizon as the vega series).
     *
     * @param seed the seed
     * @param count how many
     * @return the series
     */
    public static List<SourceSeries> synthetic(long seed, int count) {
        Random random = new Random(seed);
        List<SourceSeries> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int type = i % SYNTHETIC_FREQ.length;
            double[] values = KernelSynth.sample(random, SYNTHETIC_LENGTH, SYNTHETIC_PERIOD[type]);
            out.add(
                    new SourceSeries(
                            "synthetic/" + i,
                            "synthetic",
                            values,
                            SYNTHETIC_PERIOD[type],
                            SYNTHETIC_HORIZON[type],
                            SYNTHETIC_FREQ[type]));
        }
        return out;
    }

    /**
     * The card's training series (whole, test tails included: cut windows with {@code skipLast} of
     * at least their horizon).
     *
     * @return the series of {@link VegaCatalog#training()}
     * @throws IOException if the vega-datasets package is missing
     */
    public static List<SourceSeries> vegaTraining() throws IOException {
        List<SourceSeries> out = new ArrayList<>();
        for (VegaSeries s : VegaCatalog.training()) {
            float[] v = s.load();
            double[] values = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                values[i] = v[i];
            }
            out.add(
                    new SourceSeries(
                            "vega/" + s.name(),
                            "vega",
                            values,
                            s.candidatePeriod(),
                            s.horizon(),
                            s.freq()));
        }
        return out;
    }
}
