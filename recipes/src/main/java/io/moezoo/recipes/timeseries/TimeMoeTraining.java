package io.moezoo.recipes.timeseries;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.timeseries.TimeMoeBlockFactory;
import io.moezoo.models.timeseries.TimeMoeForecaster;
import io.moezoo.models.timeseries.TimeMoeLoss;
import io.moezoo.models.timeseries.TimeMoeSpec;
import io.moezoo.translators.timeseries.InstanceNormalization;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslatorFactory;
import io.moezoo.zoo.ZooCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Trains the zoo's {@code time-moe-vega} forecaster from scratch on the {@link VegaCatalog}
 * training series and writes its artifact directory.
 *
 * <p>Recipe: every training series loses its last H values (the held-out tail). Each step samples a
 * window length L ∈ {32, 64, 96, 128} and {@value #BATCH} windows (a series uniformly among those
 * with at least L + 1 training values, then a start uniformly): inputs are L consecutive values,
 * standardised with the window's own mean and std ({@link InstanceNormalization}, as at inference);
 * labels are the following values for every head (masked beyond the training part). Loss: {@link
 * TimeMoeLoss} (Huber δ = 2 averaged over heads + 0.02 × load balancing). AdamW (weight decay 0.1,
 * β = 0.9/0.95), learning rate 1e-3 with 100 warm-up steps and cosine decay to 1e-4. After training
 * the weights are saved as F16, loaded back through {@code Criteria} and evaluated, so the card's
 * numbers are those of the shipped file.
 */
public final class TimeMoeTraining {

    /** The artifact id. */
    public static final String ARTIFACT_ID = "time-moe-vega";

    /** Windows per step. */
    public static final int BATCH = 32;

    /** Default number of optimiser steps. */
    public static final int STEPS = 1500;

    private static final int[] WINDOWS = {32, 64, 96, 128};

    private TimeMoeTraining() {}

    /**
     * The model spec: H = 64, 3 layers, 4 heads, 8 experts top-2 (width 64) plus a gated shared
     * expert (width 128), heads {1, 8, 32, 64}, context 128.
     *
     * @return the spec
     */
    public static TimeMoeSpec spec() {
        return new TimeMoeSpec(
                1, 64, 128, 3, 4, 8, 2, new int[] {1, 8, 32, 64}, 128, 10000.0, 1e-6f, 0.02f, 2f);
    }

    /**
     * The artifact directory in a source checkout.
     *
     * @param root the repository root
     * @return the directory
     */
    public static Path artifactDir(Path root) {
        return root.resolve(
                "zoo-weights/src/main/resources/io/moezoo/zoo/repository/model/timeseries/forecasting/io/moezoo/"
                        + ARTIFACT_ID
                        + "/0.1.0");
    }

    /**
     * What a training run measured.
     *
     * @param inDomain scores on the training series' held-out tails
     * @param zeroShot scores on the zero-shot series
     * @param totalParameters all parameters
     * @param activatedParameters parameters used per token (k of E experts)
     * @param steps optimiser steps
     * @param seed the seed
     * @param seconds wall-clock training time
     * @param finalLoss mean training loss over the last logging interval (100 steps)
     */
    public record Report(
            ForecastEvaluation inDomain,
            ForecastEvaluation zeroShot,
            long totalParameters,
            long activatedParameters,
            int steps,
            long seed,
            double seconds,
            double finalLoss) {}

    /**
     * Trains with the default number of steps.
     *
     * @param artifactDir where to write the artifact
     * @param seed the seed
     * @return the report
     * @throws IOException if data cannot be read or files cannot be written
     * @throws TranslateException if the evaluation fails
     */
    public static Report train(Path artifactDir, long seed) throws IOException, TranslateException {
        return train(artifactDir, seed, STEPS);
    }

    /**
     * Trains from scratch, writes the artifact and evaluates it.
     *
     * @param artifactDir where to write {@code model.json}, {@code model.safetensors}, {@code
     *     card.json} and {@code README.md}
     * @param seed the seed of initialisation and window sampling
     * @param steps optimiser steps
     * @return the report
     * @throws IOException if data cannot be read or files cannot be written
     * @throws TranslateException if the evaluation fails
     */
    public static Report train(Path artifactDir, long seed, int steps)
            throws IOException, TranslateException {
        TimeMoeSpec spec = spec();
        List<float[]> series = new ArrayList<>();
        for (VegaSeries s : VegaCatalog.training()) {
            float[] values = s.load();
            series.add(Arrays.copyOf(values, values.length - s.horizon()));
        }
        Engine.getInstance().setRandomSeed((int) seed);
        TimeMoeForecaster block = new TimeMoeForecaster(spec);
        long started = System.nanoTime();
        double finalLoss = 0;
        Files.createDirectories(artifactDir);
        try (Model model = Model.newInstance(ARTIFACT_ID)) {
            model.setBlock(block);
            Tracker lr =
                    Tracker.warmUp()
                            .optWarmUpSteps(100)
                            .optWarmUpBeginValue(1e-4f)
                            .setMainTracker(
                                    Tracker.cosine()
                                            .setBaseValue(1e-3f)
                                            .optFinalValue(1e-4f)
                                            .setMaxUpdates(steps)
                                            .build())
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new TimeMoeLoss(spec.huberDelta()))
                            .optOptimizer(
                                    Optimizer.adamW()
                                            .optLearningRateTracker(lr)
                                            .optBeta2(0.95f)
                                            .optWeightDecays(0.1f)
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, WINDOWS[0]));
                Random rng = new Random(seed);
                int every = Math.max(1, Math.min(100, steps / 10));
                double lossSum = 0;
                for (int step = 0; step < steps; step++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDList[] batch = sample(scope, series, spec, rng);
                        float loss;
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(batch[0], batch[1]);
                            NDArray value = trainer.getLoss().evaluate(batch[1], predictions);
                            collector.backward(value);
                            loss = value.getFloat();
                        }
                        trainer.step();
                        if (!Float.isFinite(loss)) {
                            throw new IllegalStateException("Training diverged at step " + step);
                        }
                        lossSum += loss;
                    }
                    if ((step + 1) % every == 0) {
                        finalLoss = lossSum / every;
                        System.err.printf(
                                Locale.ROOT,
                                "step %d loss %.4f (%.0f s)%n",
                                step + 1,
                                finalLoss,
                                (System.nanoTime() - started) / 1e9);
                        lossSum = 0;
                    }
                }
            }
            Files.writeString(
                    artifactDir.resolve("model.json"),
                    spec.toJson() + "\n",
                    StandardCharsets.UTF_8);
            ParameterFile.save(block, artifactDir.resolve("model.safetensors"), TensorDType.F16);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long total = 0;
        long experts = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            long n = p.getValue().getArray().getShape().size();
            total += n;
            if (p.getKey().contains("experts")) {
                experts += n;
            }
        }
        long activated = total - experts + experts * spec.numExpertsPerTok() / spec.numExperts();
        ForecastEvaluation inDomain;
        ForecastEvaluation zeroShot;
        try (ZooModel<TimeSeriesData, Forecast> model = load(artifactDir, 12, "M")) {
            inDomain =
                    ForecastEvaluation.evaluate(
                            model, VegaCatalog.training(), spec.contextLength());
            zeroShot =
                    ForecastEvaluation.evaluate(
                            model, VegaCatalog.zeroShot(), spec.contextLength());
        } catch (ai.djl.repository.zoo.ModelNotFoundException | ai.djl.MalformedModelException e) {
            throw new IOException("Cannot load the written artifact: " + e.getMessage(), e);
        }
        Report report =
                new Report(inDomain, zeroShot, total, activated, steps, seed, seconds, finalLoss);
        writeCard(artifactDir, spec, report);
        return report;
    }

    /**
     * Samples one batch: {@code [inputs [B, L]]} and {@code [targets [B, L, maxH], mask [B, L,
     * maxH]]}.
     */
    private static NDList[] sample(
            NDManager manager, List<float[]> series, TimeMoeSpec spec, Random rng) {
        int length = WINDOWS[rng.nextInt(WINDOWS.length)];
        List<float[]> eligible = new ArrayList<>();
        for (float[] s : series) {
            if (s.length >= length + 1) {
                eligible.add(s);
            }
        }
        int maxH = spec.maxHorizon();
        float[] inputs = new float[BATCH * length];
        float[] targets = new float[BATCH * length * maxH];
        float[] mask = new float[BATCH * length * maxH];
        for (int b = 0; b < BATCH; b++) {
            float[] s = eligible.get(rng.nextInt(eligible.size()));
            int start = rng.nextInt(s.length - length);
            InstanceNormalization norm = InstanceNormalization.of(s, start, start + length);
            float[] z = norm.normalize(s, start, Math.min(s.length, start + length + maxH));
            System.arraycopy(z, 0, inputs, b * length, length);
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < maxH; j++) {
                    int index = t + 1 + j;
                    if (index < z.length) {
                        int at = (b * length + t) * maxH + j;
                        targets[at] = z[index];
                        mask[at] = 1;
                    }
                }
            }
        }
        return new NDList[] {
            new NDList(manager.create(inputs, new Shape(BATCH, length))),
            new NDList(
                    manager.create(targets, new Shape(BATCH, length, maxH)),
                    manager.create(mask, new Shape(BATCH, length, maxH)))
        };
    }

    /**
     * Loads an artifact directory through DJL's {@code Criteria}, as the zoo does.
     *
     * @param artifactDir the directory
     * @param predictionLength the translator's prediction length
     * @param freq the translator's frequency string
     * @return the model
     * @throws IOException if the artifact is malformed
     * @throws ai.djl.repository.zoo.ModelNotFoundException if DJL finds no model there
     * @throws ai.djl.MalformedModelException if the model cannot be loaded
     */
    public static ZooModel<TimeSeriesData, Forecast> load(
            Path artifactDir, int predictionLength, String freq)
            throws IOException,
                    ai.djl.repository.zoo.ModelNotFoundException,
                    ai.djl.MalformedModelException {
        int context = TimeMoeBlockFactory.readSpec(artifactDir).contextLength();
        return Criteria.builder()
                .setTypes(TimeSeriesData.class, Forecast.class)
                .optModelPath(artifactDir)
                .optEngine("PyTorch")
                .optOption("hasParameter", "false")
                .optArgument("blockFactory", new TimeMoeBlockFactory())
                .optTranslatorFactory(new TimeMoeForecastTranslatorFactory())
                .optArgument("prediction_length", predictionLength)
                .optArgument("context_length", context)
                .optArgument("freq", freq)
                .build()
                .loadModel();
    }

    private static JsonArray table(ForecastEvaluation evaluation) {
        JsonArray rows = new JsonArray();
        for (SeriesScore s : evaluation.scores()) {
            JsonObject row = new JsonObject();
            row.addProperty("series", s.name());
            row.addProperty("freq", s.freq());
            row.addProperty("season", s.season());
            row.addProperty("horizon", s.horizon());
            row.addProperty("mase_model", s.maseModel());
            row.addProperty("mase_naive", s.maseNaive());
            row.addProperty("mase_seasonal_naive", s.maseSeasonalNaive());
            row.addProperty("smape_model", s.smapeModel());
            row.addProperty("smape_naive", s.smapeNaive());
            row.addProperty("smape_seasonal_naive", s.smapeSeasonalNaive());
            rows.add(row);
        }
        return rows;
    }

    private static void addMetrics(JsonObject metrics, String prefix, ForecastEvaluation e) {
        metrics.addProperty(prefix + "geomean_mase_model", e.geoMeanMaseModel());
        metrics.addProperty(prefix + "geomean_mase_naive", e.geoMeanMaseNaive());
        metrics.addProperty(prefix + "geomean_mase_seasonal_naive", e.geoMeanMaseSeasonalNaive());
        metrics.addProperty(prefix + "mean_smape_model", e.meanSmapeModel());
        metrics.addProperty(prefix + "mean_smape_naive", e.meanSmapeNaive());
        metrics.addProperty(prefix + "mean_smape_seasonal_naive", e.meanSmapeSeasonalNaive());
    }

    /** The command that retrains the artifact. */
    static final String COMMAND = ZooCatalog.retrainCommand("time-moe-vega");

    private static void writeCard(Path dir, TimeMoeSpec spec, Report r) throws IOException {
        JsonObject card = new JsonObject();
        card.addProperty("artifactId", ARTIFACT_ID);
        card.addProperty("application", "timeseries/forecasting");
        JsonObject metrics = new JsonObject();
        addMetrics(metrics, "", r.inDomain());
        metrics.addProperty(
                "mase_ratio_model_over_seasonal_naive",
                r.inDomain().geoMeanMaseModel() / r.inDomain().geoMeanMaseSeasonalNaive());
        addMetrics(metrics, "zero_shot_", r.zeroShot());
        metrics.addProperty(
                "zero_shot_mase_ratio_model_over_seasonal_naive",
                r.zeroShot().geoMeanMaseModel() / r.zeroShot().geoMeanMaseSeasonalNaive());
        card.add("metrics", metrics);
        JsonObject tolerance = new JsonObject();
        for (String name : metrics.keySet()) {
            tolerance.addProperty(name, name.contains("smape") ? 0.05 : 0.002);
        }
        card.add("tolerance", tolerance);
        card.addProperty(
                "toleranceNote",
                "absolute; the metrics are measured on the shipped F16 weights loaded through"
                        + " Criteria, so only CPU floating-point nondeterminism remains");
        card.add("perSeries", table(r.inDomain()));
        card.add("zeroShotPerSeries", table(r.zeroShot()));
        card.addProperty(
                "data",
                "npm vega-datasets: 32 training series (their last H values held out and"
                        + " forecast), 21 zero-shot series never trained on; see"
                        + " io.moezoo.recipes.timeseries.VegaCatalog");
        card.addProperty(
                "recipe",
                String.format(
                        Locale.ROOT,
                        "%d AdamW steps x %d sliding windows (L in %s), per-window instance"
                                + " normalisation, Huber(delta=%.0f) averaged over heads %s +"
                                + " %.2f x load balancing; lr 1e-3 warm-up 100, cosine to 1e-4,"
                                + " weight decay 0.1; final training loss %.4f; %.0f s",
                        r.steps(),
                        BATCH,
                        Arrays.toString(WINDOWS),
                        spec.huberDelta(),
                        Arrays.toString(spec.horizonLengths()),
                        spec.routerAuxLossFactor(),
                        r.finalLoss(),
                        r.seconds()));
        card.addProperty("seed", r.seed());
        card.addProperty("totalParameters", r.totalParameters());
        card.addProperty("activatedParameters", r.activatedParameters());
        card.addProperty("command", COMMAND);
        JsonObject arguments = new JsonObject();
        arguments.addProperty("blockFactory", TimeMoeBlockFactory.class.getName());
        arguments.addProperty(
                "translatorFactory", TimeMoeForecastTranslatorFactory.class.getName());
        arguments.addProperty("prediction_length", 12);
        arguments.addProperty("context_length", spec.contextLength());
        arguments.addProperty("min_context_length", 8);
        arguments.addProperty("freq", "M");
        card.add("arguments", arguments);
        Files.writeString(
                dir.resolve("card.json"),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(card)
                        + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("README.md"), readme(spec, r), StandardCharsets.UTF_8);
    }

    private static String readme(TimeMoeSpec spec, Report r) {
        StringBuilder s = new StringBuilder();
        s.append("# time-moe-vega 0.1.0\n\n");
        s.append(
                        "A small Time-MoE-style decoder-only forecaster (point tokens, SwiGLU point embedding,"
                                + " RMSNorm, RoPE causal attention, MoE FFN with softmax top-2 of 8 experts"
                                + " without renormalisation plus a sigmoid-gated shared expert,"
                                + " multi-resolution heads ")
                .append(Arrays.toString(spec.horizonLengths()))
                .append(
                        ") trained from scratch on real series of the npm package vega-datasets.\n\n");
        s.append(
                String.format(
                        Locale.ROOT,
                        "- Parameters: %,d total, %,d activated per token%n- Spec: `model.json`"
                                + " (hidden %d, %d layers, %d heads, context %d)%n- Seed %d, %d"
                                + " steps, %.0f s on a shared 2-core CPU%n%n",
                        r.totalParameters(),
                        r.activatedParameters(),
                        spec.hiddenSize(),
                        spec.numHiddenLayers(),
                        spec.numAttentionHeads(),
                        spec.contextLength(),
                        r.seed(),
                        r.steps(),
                        r.seconds()));
        s.append("## Data\n\n");
        s.append(
                "Training series (32; the last H values of each are never trained on and are the"
                        + " in-domain test): co2-concentration CO2; 10 industries of"
                        + " unemployment-across-industries; 11 columns of us-employment; stocks MSFT,"
                        + " AMZN, IBM, GOOG; seattle-weather temp_max, temp_min, wind;"
                        + " seattle-weather-hourly-normals temperature, pressure, wind.\n\n"
                        + "Zero-shot series (21, never trained on): sp500, global-temp, weather.csv"
                        + " New York temp_max/temp_min/wind (unseen files); stocks AAPL, 4 further"
                        + " industries, 11 further us-employment columns (unseen entities of"
                        + " training files). Seasons: m = 12 for monthly economic/climate series,"
                        + " 24 hourly, 1 for stocks, daily weather and yearly series. Horizons:"
                        + " 12 monthly, 14 daily, 48 hourly, 10 yearly.\n\n");
        s.append("## Metrics\n\n");
        s.append(
                "MASE (scale: in-sample seasonal-naive MAE over the whole history before the tail)"
                        + " and sMAPE (percent, M4 definition). Geometric mean of MASE over series,"
                        + " arithmetic mean of sMAPE.\n\n");
        s.append(
                "| set | model MASE | naive MASE | seasonal-naive MASE | model / seasonal naive |"
                        + " model sMAPE | naive sMAPE | seasonal-naive sMAPE |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        row(s, "held-out tails (32)", r.inDomain());
        row(s, "zero-shot (21)", r.zeroShot());
        s.append(
                "\nTarget: model geometric-mean MASE at most 0.9 x seasonal naive on the held-out"
                        + " tails.\n\n");
        s.append(wins("held-out tails", r.inDomain()))
                .append(wins("zero-shot series", r.zeroShot()));
        s.append(
                "\nThe naive forecast remains the strongest baseline on these short, trending"
                        + " and level-shifting series (e.g. the 2009-2010 unemployment tails).\n\n");
        s.append(
                "### Per series\n\n| set | series | m | H | MASE model | naive | seasonal naive |"
                        + " sMAPE model | naive | seasonal naive |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        perSeries(s, "train tail", r.inDomain());
        perSeries(s, "zero-shot", r.zeroShot());
        s.append("\n## Inference\n\n");
        s.append(
                "`Criteria` with `blockFactory` = `"
                        + TimeMoeBlockFactory.class.getName()
                        + "`, `translatorFactory` = `"
                        + TimeMoeForecastTranslatorFactory.class.getName()
                        + "`, `prediction_length`, `context_length` = "
                        + spec.contextLength()
                        + ", option `hasParameter=false`. Input `TimeSeriesData` (TARGET = context),"
                        + " output `PointForecast` (mean = point forecast; quantiles from a heuristic"
                        + " Gaussian band sigma_1 * sqrt(step) where sigma_1 is the RMS one-step error"
                        + " over the context). The context is standardised with its own mean and"
                        + " (unbiased) std; the forecast is rolled out with Time-MoE's head rule"
                        + " (largest head not longer than what remains); unlike Time-MoE, each rollout"
                        + " step sees only the last context_length values of the growing sequence,"
                        + " the window the model was trained on.\n\n");
        s.append("## Command\n\n```\n").append(COMMAND).append("\n```\n");
        return s.toString();
    }

    private static String wins(String set, ForecastEvaluation e) {
        long naive = e.scores().stream().filter(x -> x.maseModel() < x.maseNaive()).count();
        long seasonal =
                e.scores().stream().filter(x -> x.maseModel() < x.maseSeasonalNaive()).count();
        return String.format(
                Locale.ROOT,
                "- %s: the model's MASE is lower than naive on %d of %d and lower than seasonal"
                        + " naive on %d of %d.%n",
                set,
                naive,
                e.scores().size(),
                seasonal,
                e.scores().size());
    }

    private static void row(StringBuilder s, String name, ForecastEvaluation e) {
        s.append(
                String.format(
                        Locale.ROOT,
                        "| %s | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f |%n",
                        name,
                        e.geoMeanMaseModel(),
                        e.geoMeanMaseNaive(),
                        e.geoMeanMaseSeasonalNaive(),
                        e.geoMeanMaseModel() / e.geoMeanMaseSeasonalNaive(),
                        e.meanSmapeModel(),
                        e.meanSmapeNaive(),
                        e.meanSmapeSeasonalNaive()));
    }

    private static void perSeries(StringBuilder s, String set, ForecastEvaluation e) {
        for (SeriesScore x : e.scores()) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %d | %d | %.3f | %.3f | %.3f | %.2f | %.2f | %.2f |%n",
                            set,
                            x.name(),
                            x.season(),
                            x.horizon(),
                            x.maseModel(),
                            x.maseNaive(),
                            x.maseSeasonalNaive(),
                            x.smapeModel(),
                            x.smapeNaive(),
                            x.smapeSeasonalNaive()));
        }
    }

    /**
     * Trains and prints the summary.
     *
     * @param args {@code [ARTIFACT_DIR] [SEED] [STEPS]}; the directory defaults to the artifact
     *     directory of the checkout in the working directory
     * @throws Exception if training fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Paths.get(args[0]) : artifactDir(Paths.get(""));
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42L;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : STEPS;
        Report r = train(dir, seed, steps);
        System.out.print(Files.readString(dir.resolve("README.md"), StandardCharsets.UTF_8));
        System.out.printf(
                Locale.ROOT,
                "held-out geomean MASE model %.4f naive %.4f seasonal naive %.4f (ratio %.3f)%n",
                r.inDomain().geoMeanMaseModel(),
                r.inDomain().geoMeanMaseNaive(),
                r.inDomain().geoMeanMaseSeasonalNaive(),
                r.inDomain().geoMeanMaseModel() / r.inDomain().geoMeanMaseSeasonalNaive());
    }
}
