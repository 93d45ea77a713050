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
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.timeseries.TimeMoeBlockFactory;
import io.moezoo.models.timeseries.TimeMoeForecaster;
import io.moezoo.models.timeseries.TimeMoeLoss;
import io.moezoo.models.timeseries.TimeMoeSpec;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.translators.timeseries.ForecastHeads;
import io.moezoo.translators.timeseries.InstanceNormalization;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslatorFactory;
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

    /** The artifact version this recipe writes. */
    public static final String VERSION = "0.3.0";

    /** Default number of optimiser steps. */
    public static final int STEPS = 12000;

    /** KernelSynth series added to the training data (chosen on validation, see the card). */
    public static final int SYNTHETIC = 5000;

    static final int[] WINDOWS = {32, 64, 96, 128};

    /**
     * R's series train without their last {@value} horizons: those windows are the forecast
     * mixture's (its router must see the network's errors out of sample).
     */
    static final int R_TAILS = io.moezoo.recipes.timeseries.mixture.MixtureRecipe.R_WINDOWS;

    /**
     * How many of the latest values a forecast reads (the translator's {@code context_length}): the
     * model trains on windows of its full context (128), but forecasting from the last 64 was
     * better on validation (see the card's recipe list).
     */
    public static final int CONTEXT = 64;

    /** How the heads make a forecast (chosen on validation, see the card). */
    public static final ForecastHeads.Selection HEAD_SELECTION =
            ForecastHeads.Selection.SHORTEST_COVERING;

    private TimeMoeTraining() {}

    /**
     * The model spec: H = 64, 3 layers, 4 heads, 8 experts top-2 (width 64) plus a gated shared
     * expert (width 128), heads {1, 8, 32, 64}, context 128.
     *
     * @return the spec
     */
    public static TimeMoeSpec spec() {
        return spec(true);
    }

    /**
     * The model spec with or without the last-value skip ({@link TimeMoeSpec#lastValueSkip()}).
     *
     * @param lastValueSkip whether the heads forecast a correction of the last value
     * @return the spec
     */
    public static TimeMoeSpec spec(boolean lastValueSkip) {
        return new TimeMoeSpec(
                1,
                64,
                128,
                3,
                4,
                8,
                2,
                new int[] {1, 8, 32, 64},
                128,
                10000.0,
                1e-6f,
                0.02f,
                2f,
                lastValueSkip);
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
                        + "/"
                        + VERSION);
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
        long started = System.nanoTime();
        List<float[]> real = new ArrayList<>(trainingSeries(1));
        real.addAll(rSeries(DataSets.rSeries(), R_TAILS));
        Fit fit = fit(spec, real, synthetic(seed, SYNTHETIC), true, seed, steps, artifactDir);
        TimeMoeForecaster block = fit.block();
        double finalLoss = fit.finalLoss();
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
        CardSets sets = cardSets(artifactDir, CONTEXT);
        Report report =
                new Report(
                        sets.inDomain(),
                        sets.zeroShot(),
                        total,
                        activated,
                        steps,
                        seed,
                        seconds,
                        finalLoss);
        TimeMoeCard.write(artifactDir, spec, report);
        return report;
    }

    /**
     * The card's two measurements of an artifact.
     *
     * @param inDomain the held-out tails of the vega training series
     * @param zeroShot the zero-shot series
     */
    record CardSets(ForecastEvaluation inDomain, ForecastEvaluation zeroShot) {}

    /**
     * Loads an artifact through {@code Criteria} and measures it on the card's two sets.
     *
     * @param artifactDir the artifact directory
     * @param contextLength the translator's context length
     * @return the measurements
     * @throws IOException if the artifact or the data cannot be read
     * @throws TranslateException if forecasting fails
     */
    static CardSets cardSets(Path artifactDir, int contextLength)
            throws IOException, TranslateException {
        try (ZooModel<TimeSeriesData, Forecast> model = load(artifactDir, 12, "M")) {
            return new CardSets(
                    ForecastEvaluation.evaluate(model, VegaCatalog.training(), contextLength),
                    ForecastEvaluation.evaluate(model, VegaCatalog.zeroShot(), contextLength));
        } catch (ai.djl.repository.zoo.ModelNotFoundException | ai.djl.MalformedModelException e) {
            throw new IOException("Cannot load " + artifactDir + ": " + e.getMessage(), e);
        }
    }

    /** The share of each batch drawn from the real series when synthetic series are used. */
    static final float REAL_SHARE = 0.5f;

    /**
     * A trained forecaster.
     *
     * @param block the block
     * @param finalLoss the mean training loss over the last logging interval
     */
    record Fit(TimeMoeForecaster block, double finalLoss) {}

    /**
     * The vega training series without their last {@code tails} horizons (1: the card's training
     * data; 2: also without the validation window just before the test tail).
     *
     * @param tails how many horizons to cut
     * @return the series
     * @throws IOException if the vega-datasets package is missing
     */
    static List<float[]> trainingSeries(int tails) throws IOException {
        List<float[]> series = new ArrayList<>();
        for (VegaSeries s : VegaCatalog.training()) {
            float[] values = s.load();
            series.add(Arrays.copyOf(values, values.length - tails * s.horizon()));
        }
        return series;
    }

    /**
     * R's bundled series ({@code tools/r-series.R}) without their last {@code tails} horizons.
     *
     * @param tsv the file written by {@code tools/r-series.R}
     * @param tails how many horizons (the series' own H) to cut from the end
     * @return the series long enough to keep at least 2 + the shortest window
     * @throws IOException if the file cannot be read
     */
    static List<float[]> rSeries(Path tsv, int tails) throws IOException {
        List<float[]> out = new ArrayList<>();
        for (var s : io.moezoo.recipes.timeseries.mixture.SeriesSources.rSeries(tsv)) {
            int n = s.values().length - tails * s.horizon();
            if (n >= WINDOWS[0] + 2) {
                out.add(ForecastEvaluation.floats(s.values(), n));
            }
        }
        return out;
    }

    /**
     * KernelSynth series ({@link io.moezoo.recipes.timeseries.mixture.SeriesSources#synthetic}).
     *
     * @param seed the seed
     * @param count how many
     * @return the series as floats
     */
    static List<float[]> synthetic(long seed, int count) {
        List<float[]> out = new ArrayList<>();
        for (var s : io.moezoo.recipes.timeseries.mixture.SeriesSources.synthetic(seed, count)) {
            out.add(ForecastEvaluation.floats(s.values(), s.values().length));
        }
        return out;
    }

    /**
     * Trains a forecaster and writes {@code model.json} and {@code model.safetensors} (F16).
     *
     * @param spec the model
     * @param real the real series
     * @param synthetic synthetic series (may be empty); when present, each window comes from the
     *     real series with probability {@link #REAL_SHARE}
     * @param maseWeights whether each window's loss is weighted by {@link #maseWeight}
     * @param seed the seed
     * @param steps optimiser steps
     * @param dir the directory to write
     * @return the trained block and its final loss
     * @throws IOException if the directory cannot be written
     */
    static Fit fit(
            TimeMoeSpec spec,
            List<float[]> real,
            List<float[]> synthetic,
            boolean maseWeights,
            long seed,
            int steps,
            Path dir)
            throws IOException {
        Engine.getInstance().setRandomSeed((int) seed);
        TimeMoeForecaster block = new TimeMoeForecaster(spec);
        long started = System.nanoTime();
        double finalLoss = 0;
        Files.createDirectories(dir);
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
                        NDList[] batch = sample(scope, real, synthetic, maseWeights, spec, rng);
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
                    dir.resolve("model.json"), spec.toJson() + "\n", StandardCharsets.UTF_8);
            ParameterFile.save(block, dir.resolve("model.safetensors"), TensorDType.F16);
        }
        return new Fit(block, finalLoss);
    }

    /**
     * Samples one batch: {@code [inputs [B, L]]} and {@code [targets [B, L, maxH], mask [B, L,
     * maxH]]}.
     */
    private static NDList[] sample(
            NDManager manager,
            List<float[]> real,
            List<float[]> synthetic,
            boolean maseWeights,
            TimeMoeSpec spec,
            Random rng) {
        int length = WINDOWS[rng.nextInt(WINDOWS.length)];
        List<float[]> eligible = eligible(real, length);
        List<float[]> eligibleSynthetic = eligible(synthetic, length);
        int maxH = spec.maxHorizon();
        float[] inputs = new float[BATCH * length];
        float[] targets = new float[BATCH * length * maxH];
        float[] mask = new float[BATCH * length * maxH];
        for (int b = 0; b < BATCH; b++) {
            List<float[]> pool =
                    eligibleSynthetic.isEmpty() || rng.nextFloat() < REAL_SHARE
                            ? eligible
                            : eligibleSynthetic;
            float[] s = pool.get(rng.nextInt(pool.size()));
            int start = rng.nextInt(s.length - length);
            InstanceNormalization norm = InstanceNormalization.of(s, start, start + length);
            float[] z = norm.normalize(s, start, Math.min(s.length, start + length + maxH));
            System.arraycopy(z, 0, inputs, b * length, length);
            float weight = maseWeights ? maseWeight(z, length) : 1f;
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < maxH; j++) {
                    int index = t + 1 + j;
                    if (index < z.length) {
                        int at = (b * length + t) * maxH + j;
                        targets[at] = z[index];
                        mask[at] = weight;
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
     * Multiplies every head's weights by a factor: with the last-value skip a head forecasts x_t
     * plus a correction linear in its weights, so a factor below 1 shrinks the correction toward
     * the naive forecast (tried on validation, see the card; not part of the recipe).
     *
     * @param block the forecaster
     * @param factor the factor (1 leaves the block as it is)
     */
    static void scaleHeads(TimeMoeForecaster block, float factor) {
        if (factor == 1f) {
            return;
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().startsWith("lm_heads_")) {
                p.getValue().getArray().muli(factor);
            }
        }
    }

    /**
     * A window's weight in the loss: the reciprocal of the mean absolute step of its normalised
     * input, \(1 / \overline{|\Delta z|}\), clipped to [0.2, 5], so that an error counts as MASE
     * counts it (in units of the series' typical step, not of its standard deviation).
     */
    static float maseWeight(float[] z, int length) {
        double steps = 0;
        for (int t = 1; t < length; t++) {
            steps += Math.abs(z[t] - z[t - 1]);
        }
        double meanStep = steps / (length - 1);
        return (float) Math.max(0.2, Math.min(5.0, 1.0 / Math.max(meanStep, 1e-6)));
    }

    private static List<float[]> eligible(List<float[]> series, int length) {
        List<float[]> out = new ArrayList<>();
        for (float[] s : series) {
            if (s.length >= length + 1) {
                out.add(s);
            }
        }
        return out;
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
        return load(artifactDir, predictionLength, freq, HEAD_SELECTION);
    }

    /**
     * Loads an artifact directory through DJL's {@code Criteria} with a given head rule.
     *
     * @param artifactDir the directory
     * @param predictionLength the translator's prediction length
     * @param freq the translator's frequency string
     * @param heads how the heads make a forecast
     * @return the model
     * @throws IOException if the artifact is malformed
     * @throws ai.djl.repository.zoo.ModelNotFoundException if DJL finds no model there
     * @throws ai.djl.MalformedModelException if the model cannot be loaded
     */
    public static ZooModel<TimeSeriesData, Forecast> load(
            Path artifactDir, int predictionLength, String freq, ForecastHeads.Selection heads)
            throws IOException,
                    ai.djl.repository.zoo.ModelNotFoundException,
                    ai.djl.MalformedModelException {
        int context = Math.min(CONTEXT, TimeMoeBlockFactory.readSpec(artifactDir).contextLength());
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
                .optArgument("head_selection", heads.argument())
                .build()
                .loadModel();
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
