package io.moezoo.recipes.timeseries;

import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import io.moezoo.models.timeseries.TimeMoeSpec;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Chooses the forecaster's recipe without the test tails: trains on the vega training series
 * without their last two horizons (plus synthetic series, if the recipe uses them) and scores the
 * window just before each test tail, beside naive, seasonal naive, ETS and Theta.
 */
public final class TimeMoeValidation {

    private TimeMoeValidation() {}

    /**
     * Command line: {@code SEED STEPS SYNTHETIC OUT_DIR}.
     *
     * @param args the arguments
     * @throws Exception if training or evaluation fails
     */
    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int steps = Integer.parseInt(args[1]);
        int synthetic = Integer.parseInt(args[2]);
        Path dir = Path.of(args[3]);
        TimeMoeSpec spec = TimeMoeTraining.spec();
        long started = System.nanoTime();
        TimeMoeTraining.fit(
                spec,
                TimeMoeTraining.trainingSeries(2),
                TimeMoeTraining.synthetic(seed, synthetic),
                seed,
                steps,
                dir);
        double seconds = (System.nanoTime() - started) / 1e9;
        try (ZooModel<TimeSeriesData, Forecast> model = TimeMoeTraining.load(dir, 12, "M")) {
            ForecastEvaluation v =
                    ForecastEvaluation.evaluate(
                            model, VegaCatalog.training(), spec.contextLength(), 1);
            System.out.printf(
                    Locale.ROOT,
                    "steps %d synthetic %d (%.0f s): validation geomean MASE model %.4f naive %.4f"
                            + " seasonal naive %.4f ETS %.4f Theta %.4f%n",
                    steps,
                    synthetic,
                    seconds,
                    v.geoMeanMaseModel(),
                    v.geoMeanMaseNaive(),
                    v.geoMeanMaseSeasonalNaive(),
                    v.geoMeanMaseEts(),
                    v.geoMeanMaseTheta());
        }
    }
}
