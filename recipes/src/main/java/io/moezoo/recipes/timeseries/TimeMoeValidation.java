package io.moezoo.recipes.timeseries;

import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import io.moezoo.models.timeseries.TimeMoeForecaster;
import io.moezoo.models.timeseries.TimeMoeSpec;
import io.moezoo.recipes.timeseries.mixture.SeriesSources;
import io.moezoo.recipes.timeseries.mixture.SourceSeries;
import io.moezoo.translators.timeseries.ForecastHeads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the forecaster's recipe without the test tails: trains on the vega training series
 * without their last two horizons (plus R's series without their last four, and synthetic series,
 * if the recipe uses them) and scores the window just before each vega test tail and the fourth
 * window from the end of each R series (the three after it are the forecast mixture's), beside
 * naive, seasonal naive, ETS and Theta.
 */
public final class TimeMoeValidation {

    private TimeMoeValidation() {}

    /**
     * Command line: {@code SEED STEPS SYNTHETIC OUT_DIR [--r-series TSV] [--last-value-skip]
     * [--mase-weights] [--time-moe-heads] [--head-scale F] [--context N] [--evaluate-only]
     * [--per-series]}: {@code --r-series} adds R's series (the file of {@code tools/r-series.sh}),
     * {@code --last-value-skip} and {@code --mase-weights} are the model's and the loss's options
     * ({@link TimeMoeSpec#lastValueSkip()}, {@link TimeMoeTraining#maseWeight}), {@code
     * --time-moe-heads} forecasts with Time-MoE's head rule instead of the recipe's, {@code
     * --head-scale} multiplies the heads' weights by F before scoring (see {@link
     * TimeMoeTraining#scaleHeads}), {@code --context} forecasts from the last N values of each
     * history instead of the model's context length, {@code --evaluate-only} scores the model
     * already in OUT_DIR and {@code --per-series} prints every R window's scores.
     *
     * @param args the arguments
     * @throws Exception if training or evaluation fails
     */
    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int steps = Integer.parseInt(args[1]);
        int synthetic = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        List<String> options = Arrays.asList(args).subList(4, args.length);
        TimeMoeSpec spec = TimeMoeTraining.spec(options.contains("--last-value-skip"));
        boolean maseWeights = options.contains("--mase-weights");
        List<float[]> real = new ArrayList<>(TimeMoeTraining.trainingSeries(2));
        int r = options.indexOf("--r-series");
        List<SourceSeries> rSeries =
                r < 0 ? List.of() : validationSeries(Path.of(options.get(r + 1)));
        if (r >= 0) {
            real.addAll(TimeMoeTraining.rSeries(Path.of(options.get(r + 1)), 4));
        }
        long started = System.nanoTime();
        if (!options.contains("--evaluate-only")) {
            TimeMoeTraining.fit(
                    spec,
                    real,
                    TimeMoeTraining.synthetic(seed, synthetic),
                    maseWeights,
                    seed,
                    steps,
                    dir);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ForecastHeads.Selection heads =
                options.contains("--time-moe-heads")
                        ? ForecastHeads.Selection.TIME_MOE
                        : TimeMoeTraining.HEAD_SELECTION;
        try (ZooModel<TimeSeriesData, Forecast> model = TimeMoeTraining.load(dir, 12, "M", heads)) {
            int scaleAt = options.indexOf("--head-scale");
            if (scaleAt >= 0) {
                TimeMoeTraining.scaleHeads(
                        (TimeMoeForecaster) model.getBlock(),
                        Float.parseFloat(options.get(scaleAt + 1)));
            }
            int contextAt = options.indexOf("--context");
            int context =
                    contextAt < 0
                            ? spec.contextLength()
                            : Integer.parseInt(options.get(contextAt + 1));
            ForecastEvaluation v =
                    ForecastEvaluation.evaluate(model, VegaCatalog.training(), context, 1);
            System.out.printf(
                    Locale.ROOT,
                    "%s steps %d synthetic %d (%.0f s): vega validation geomean MASE model %.4f"
                            + " naive %.4f seasonal naive %.4f ETS %.4f Theta %.4f%n",
                    options,
                    steps,
                    synthetic,
                    seconds,
                    v.geoMeanMaseModel(),
                    v.geoMeanMaseNaive(),
                    v.geoMeanMaseSeasonalNaive(),
                    v.geoMeanMaseEts(),
                    v.geoMeanMaseTheta());
            if (!rSeries.isEmpty()) {
                ForecastEvaluation e =
                        ForecastEvaluation.evaluateSources(model, rSeries, context, 3);
                if (options.contains("--per-series")) {
                    for (SeriesScore x : e.scores()) {
                        System.out.printf(
                                Locale.ROOT,
                                "  %-40s %s m=%d h=%d model %.3f naive %.3f ets %.3f%n",
                                x.name(),
                                x.freq(),
                                x.season(),
                                x.horizon(),
                                x.maseModel(),
                                x.maseNaive(),
                                x.maseEts());
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "R validation (%d windows) geomean MASE model %.4f naive %.4f seasonal"
                                + " naive %.4f ETS %.4f Theta %.4f; combined model %.4f naive"
                                + " %.4f ETS %.4f%n",
                        rSeries.size(),
                        e.geoMeanMaseModel(),
                        e.geoMeanMaseNaive(),
                        e.geoMeanMaseSeasonalNaive(),
                        e.geoMeanMaseEts(),
                        e.geoMeanMaseTheta(),
                        Math.sqrt(v.geoMeanMaseModel() * e.geoMeanMaseModel()),
                        Math.sqrt(v.geoMeanMaseNaive() * e.geoMeanMaseNaive()),
                        Math.sqrt(v.geoMeanMaseEts() * e.geoMeanMaseEts()));
            }
        }
    }

    /**
     * The R series long enough for a validation window four horizons from the end with at least
     * three horizons and 24 values of history, their history cut to the last 1000 values.
     */
    static List<SourceSeries> validationSeries(Path tsv) throws java.io.IOException {
        List<SourceSeries> out = new ArrayList<>();
        for (SourceSeries s : SeriesSources.rSeries(tsv)) {
            int h = s.horizon();
            int history = s.values().length - 4 * h;
            if (history >= Math.max(3 * h, 24)) {
                int from = Math.max(0, history - 1000);
                double[] v = Arrays.copyOfRange(s.values(), from, s.values().length);
                out.add(
                        new SourceSeries(
                                s.name(), s.source(), v, s.candidatePeriod(), h, s.freq()));
            }
        }
        return out;
    }
}
