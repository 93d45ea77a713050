package io.moezoo.cli;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.Artifact;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.moezoo.plots.ForecastChart;
import io.moezoo.recipes.timeseries.SeriesFiles;
import io.moezoo.translators.timeseries.InvalidSeriesException;
import io.moezoo.translators.timeseries.PointForecast;
import io.moezoo.zoo.MoeModelZoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo forecast FILE --horizon H}: forecasts a series with the zoo's time-series model
 * and prints JSON. The series is a CSV column ({@code --column C}) or, in a file named {@code
 * *.json}, JSON in one of the forms of {@link SeriesFiles#jsonValues}: an array of numbers, an
 * object with a {@code values} or {@code series} array, or an array of records whose field {@code
 * --column} names.
 *
 * <p>Bounds, checked before the model is loaded: the horizon is at most the model's {@code
 * max_prediction_length} (by default its context length, 128 for {@code time-moe-vega}); the file
 * is read by {@link SeriesFiles} (a regular UTF-8 file of at most 16 MiB, at most 100,000 finite
 * values); the plot path must be writable.
 */
@Command(
        name = "forecast",
        mixinStandardHelpOptions = true,
        description =
                "Forecast the next values of a series (a CSV column, or JSON: [1.5, 2, ...],"
                        + " {\"values\": [...]} or records with --column) with a zoo time-series"
                        + " model; prints JSON {model, column, history, horizon, forecast,"
                        + " quantiles}.")
final class ForecastCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "CSV file with a header row, or a JSON file (named *.json).")
    Path file;

    @Option(
            names = "--column",
            description =
                    "The numeric column to forecast: required for CSV; for JSON, the field of"
                            + " records or the array of an object (default values, then series).")
    String column;

    @Option(
            names = "--horizon",
            required = true,
            description =
                    "How many steps ahead: 1 .. the model's max_prediction_length (its context"
                            + " length, 128 for time-moe-vega).")
    int horizon;

    @Option(
            names = "--model",
            defaultValue = "time-moe-vega",
            description = "Zoo model id (default ${DEFAULT-VALUE}).")
    String model;

    @Option(
            names = "--plot",
            description = "Also write a PNG of the history, the forecast and its 10-90%% band.")
    Path plot;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (horizon <= 0) {
            throw new IllegalArgumentException("--horizon must be > 0, got " + horizon);
        }
        if (!json() && column == null) {
            throw new IllegalArgumentException(
                    "--column is required for a CSV file: name the column to forecast (a file"
                            + " named *.json may hold the series alone: "
                            + SeriesFiles.JSON_FORMS
                            + ")");
        }
        ZooCriteria.requireModel(model, "time-series");
        int maxHorizon = maxHorizon(model);
        if (horizon > maxHorizon) {
            throw new IllegalArgumentException(
                    "--horizon "
                            + horizon
                            + " is beyond what "
                            + model
                            + " forecasts: at most "
                            + maxHorizon
                            + " steps (its max_prediction_length)");
        }
        if (plot != null) {
            OutputPaths.checkFile(plot, "--plot");
        }
        float[] history =
                json()
                        ? SeriesFiles.jsonValues(file, column)
                        : SeriesFiles.csv(file, column, null, null);
        String label = column != null ? column : String.valueOf(file.getFileName());
        Criteria<TimeSeriesData, Forecast> criteria =
                ZooCriteria.of(model, TimeSeriesData.class, Forecast.class)
                        .optArgument("prediction_length", horizon)
                        .build();
        JsonObject result = new JsonObject();
        result.addProperty("model", model);
        result.addProperty("column", column);
        result.addProperty("history", history.length);
        result.addProperty("horizon", horizon);
        try (ZooModel<TimeSeriesData, Forecast> zooModel = criteria.loadModel();
                Predictor<TimeSeriesData, Forecast> predictor = zooModel.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            TimeSeriesData input = new TimeSeriesData(1);
            input.add(FieldName.TARGET, manager.create(history));
            Forecast forecast;
            try {
                forecast = predictor.predict(input);
            } catch (InvalidSeriesException e) {
                throw new IllegalArgumentException(
                        file
                                + (column == null ? "" : " column '" + column + "'")
                                + ": "
                                + e.getMessage(),
                        e);
            }
            result.add("forecast", array(forecast.mean().toFloatArray()));
            float[] mean = forecast.mean().toFloatArray();
            ForecastChart.Builder chart =
                    ForecastChart.builder()
                            .setHistory(toDouble(history))
                            .setForecast(toDouble(mean))
                            .optTitle(model + ": " + label)
                            .optAxisLabels("step", label);
            if (forecast instanceof PointForecast point) {
                JsonObject quantiles = new JsonObject();
                for (float q : new float[] {0.1f, 0.5f, 0.9f}) {
                    quantiles.add(String.valueOf(q), array(point.quantileValues(q)));
                }
                result.add("quantiles", quantiles);
                chart.addBand(
                        "10-90%",
                        toDouble(point.quantileValues(0.1f)), toDouble(point.quantileValues(0.9f)));
            }
            if (plot != null) {
                chart.build().writePng(plot);
                result.addProperty("plot", plot.toString());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(new GsonBuilder().setPrettyPrinting().create().toJson(result));
        return 0;
    }

    /** Whether the series file is JSON: its name ends in {@code .json}. */
    private boolean json() {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    /**
     * The longest forecast a zoo model accepts, from its metadata: {@code max_prediction_length},
     * else {@code context_length}, else 512 (the translator factory's rule).
     */
    private static int maxHorizon(String model) throws IOException {
        Artifact artifact =
                new MoeModelZoo()
                        .loader(model).metadata().getArtifacts().stream()
                                .max(Comparator.comparing(Artifact::getParsedVersion))
                                .orElseThrow(
                                        () ->
                                                new IOException(
                                                        "no artifact in the metadata of " + model));
        Map<String, Object> arguments = artifact.getArguments();
        Object max = arguments.get("max_prediction_length");
        if (max == null) {
            max = arguments.getOrDefault("context_length", 512);
        }
        return (int) Double.parseDouble(max.toString());
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static JsonArray array(float[] values) {
        JsonArray a = new JsonArray();
        for (float v : values) {
            a.add(v);
        }
        return a;
    }
}
