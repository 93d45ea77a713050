package io.moezoo.recipes.timeseries.mixture;

import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import io.moezoo.recipes.timeseries.ForecastEvaluation;
import io.moezoo.recipes.timeseries.TimeMoeTraining;
import io.moezoo.recipes.timeseries.VegaCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The one-command recipe of the forecast mixture ({@code tools/ts-mixture.sh SEED}).
 *
 * <ol>
 *   <li><b>Series.</b> R's bundled series ({@code tools/r-series.R}), {@value #SYNTHETIC}
 *       KernelSynth series (seeded) and the card's 32 vega training series. The zero-shot series
 *       and the vega test tails (last H values) are never used before the final measurement.
 *   <li><b>Split.</b> A seeded shuffle sends 20% of the R series and of the synthetic series to
 *       validation, the rest to training; each gives its last {@value #R_WINDOWS} windows of H (R)
 *       or its last window (synthetic). Experts see at most {@value #MAX_HISTORY} values of
 *       history. The vega training series are not used to train or choose the router: the network
 *       was trained on all of them but their test tails, so its errors on their earlier windows are
 *       in-sample (run 2 of the card's recipe list: a router trained on those windows trusted the
 *       network and lost to ETS). Their window just before the test tail is scored as a diagnostic
 *       only.
 *   <li><b>Choice.</b> Every {@link RouterRecipe#grid()} candidate is trained on the training
 *       windows; the one with the smallest validation score (the geometric mean over the two
 *       sources, R and synthetic, of each source's geometric-mean MASE) is kept and refitted on
 *       training and validation windows together.
 *   <li><b>Measurement.</b> {@link MixtureEvaluation} on {@link VegaCatalog#training()} tails and
 *       {@link VegaCatalog#zeroShot()}, as the card measures.
 * </ol>
 */
public final class MixtureRecipe {

    /** Synthetic series. */
    public static final int SYNTHETIC = 300;

    /**
     * Offset of the synthetic series' seed: the network (time-moe-vega since 0.2.0) trained on
     * KernelSynth series drawn with the recipe seed itself, so the router's synthetic series come
     * from another stream, never from the network's training data.
     */
    static final long SYNTHETIC_STREAM = 1_000_003L;

    /**
     * Training windows per R series: its last ones, which the network (time-moe-vega 0.3.0, trained
     * on R's series without them) never saw.
     */
    public static final int R_WINDOWS = 3;

    /** The longest history handed to the experts in training and validation windows. */
    public static final int MAX_HISTORY = 1000;

    /** The validation share of the R and synthetic series. */
    public static final double VALIDATION_SHARE = 0.2;

    private MixtureRecipe() {}

    /**
     * The training and validation tasks.
     *
     * @param r the R series
     * @param synthetic the synthetic series
     * @param vega the vega training series (whole)
     * @param seed the seed of the split
     * @return {@code [train, validation, diagnostic]}, the diagnostic being each vega series'
     *     window just before its test tail
     */
    public static List<List<ForecastTask>> split(
            List<SourceSeries> r,
            List<SourceSeries> synthetic,
            List<SourceSeries> vega,
            long seed) {
        return split(r, synthetic, vega, false, seed);
    }

    /**
     * The training and validation tasks, optionally with the vega window before each test tail as a
     * third source of the split (cross-fitted runs: the network that makes the windows' forecasts
     * never saw that window, see {@code --window-network}).
     *
     * @param r the R series
     * @param synthetic the synthetic series
     * @param vega the vega training series (whole)
     * @param vegaInSplit whether the vega windows are split into training and validation (else they
     *     are the diagnostic)
     * @param seed the seed of the split
     * @return {@code [train, validation, diagnostic]}; the diagnostic is empty with {@code
     *     vegaInSplit}
     */
    public static List<List<ForecastTask>> split(
            List<SourceSeries> r,
            List<SourceSeries> synthetic,
            List<SourceSeries> vega,
            boolean vegaInSplit,
            long seed) {
        List<ForecastTask> train = new ArrayList<>();
        List<ForecastTask> validation = new ArrayList<>();
        Random random = new Random(seed);
        List<List<SourceSeries>> groups =
                vegaInSplit ? List.of(r, synthetic, vega) : List.of(r, synthetic);
        for (List<SourceSeries> group : groups) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < group.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            int cut = (int) Math.round(VALIDATION_SHARE * group.size());
            for (int rank = 0; rank < group.size(); rank++) {
                SourceSeries s = group.get(order.get(rank));
                (rank < cut ? validation : train).addAll(windowsBeforeTest(s));
            }
        }
        List<ForecastTask> diagnostic = new ArrayList<>();
        if (!vegaInSplit) {
            for (SourceSeries s : vega) {
                diagnostic.addAll(windowsBeforeTest(s));
            }
        }
        return List.of(train, validation, diagnostic);
    }

    /**
     * The windows a series gives the router: R's last {@value #R_WINDOWS}, a synthetic series' last
     * one, a vega training series' one just before its test tail.
     */
    private static List<ForecastTask> windowsBeforeTest(SourceSeries s) {
        return switch (s.source()) {
            case "r" -> s.windows(0, R_WINDOWS, MAX_HISTORY);
            case "vega" -> s.windows(s.horizon(), 1, MAX_HISTORY);
            default -> s.windows(0, 1, MAX_HISTORY);
        };
    }

    /**
     * The validation scores of a router: the geometric-mean MASE per source (each window's MASE
     * floored at {@link RouterLoss#MASE_FLOOR}) and, under {@code score}, their geometric mean over
     * the sources other than {@code vega} (a diagnostic).
     *
     * @param router the router
     * @param experts its experts
     * @param windows the validation windows
     * @return source → geometric-mean MASE, plus {@code score}
     */
    public static Map<String, Double> validate(
            SoftmaxRouter router, int[] experts, List<ForecastWindow> windows) {
        return validate(router, experts, windows, false);
    }

    /**
     * The validation scores of a router, with the {@code vega} windows in the score or as a
     * diagnostic.
     *
     * @param router the router
     * @param experts its experts
     * @param windows the validation windows
     * @param scoreVega whether the {@code vega} windows count in {@code score} (cross-fitted runs)
     * @return source → geometric-mean MASE, plus {@code score}
     */
    public static Map<String, Double> validate(
            SoftmaxRouter router, int[] experts, List<ForecastWindow> windows, boolean scoreVega) {
        Map<String, double[]> logs = new LinkedHashMap<>();
        for (ForecastWindow w : windows) {
            String source = w.name().substring(0, w.name().indexOf(':'));
            ForecastWindow routed = w.select(experts);
            double mase = routed.mase(router.forecast(routed));
            double[] acc = logs.computeIfAbsent(source, s -> new double[2]);
            acc[0] += Math.log(Math.max(RouterLoss.MASE_FLOOR, mase));
            acc[1]++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        double score = 0;
        int sources = 0;
        for (Map.Entry<String, double[]> e : logs.entrySet()) {
            double mean = e.getValue()[0] / e.getValue()[1];
            out.put(e.getKey(), Math.exp(mean));
            if (scoreVega || !e.getKey().equals("vega")) {
                score += mean;
                sources++;
            }
        }
        out.put("score", Math.exp(score / sources));
        return out;
    }

    /**
     * Runs the recipe.
     *
     * @param args {@code SEED [--r-series TSV] [--out DIR] [--reuse] [--window-network DIR]
     *     [--vega-windows] [--subsets]}; the TSV defaults to {@code
     *     recipes/target/timeseries-mixture/r-series.tsv}, the output directory to {@code
     *     recipes/target/timeseries-mixture}; {@code --reuse} reads the windows saved by an earlier
     *     run with the same seed; {@code --window-network} makes the training and validation
     *     windows' network forecasts with another model directory (cross-fitting: a {@code
     *     TimeMoeValidation} model, which never saw the vega window before each test tail nor R's
     *     last four windows), while the card sets are still forecast by the shipped network; {@code
     *     --vega-windows} splits those vega windows into training and validation like the other
     *     sources (and scores them); {@code --subsets} chooses from {@link
     *     RouterRecipe#subsetGrid()} instead of {@link RouterRecipe#grid()}
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        long seed = 42;
        Path out = Paths.get("recipes", "target", "timeseries-mixture");
        Path tsv = null;
        boolean reuse = false;
        Path windowNetwork = null;
        boolean vegaInSplit = false;
        boolean subsets = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--subsets" -> subsets = true;
                case "--window-network" -> windowNetwork = Paths.get(args[++i]);
                case "--vega-windows" -> vegaInSplit = true;
                case "--r-series" -> tsv = Paths.get(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                case "--reuse" -> reuse = true;
                default -> seed = Long.parseLong(args[i]);
            }
        }
        if (tsv == null) {
            tsv = out.resolve("r-series.tsv");
        }
        long started = System.nanoTime();
        Path artifact = TimeMoeTraining.artifactDir(Paths.get(""));
        Path windowArtifact = windowNetwork == null ? artifact : windowNetwork;
        String run = seed + (windowNetwork == null ? "" : "-xfit") + (vegaInSplit ? "-vega" : "");
        try (ZooModel<TimeSeriesData, Forecast> model = TimeMoeTraining.load(artifact, 12, "M");
                ZooModel<TimeSeriesData, Forecast> windowModel =
                        TimeMoeTraining.load(windowArtifact, 12, "M")) {
            ExpertPanel.NetworkForecaster network = forecaster(model);
            ExpertPanel.NetworkForecaster windowForecaster = forecaster(windowModel);
            Path trainFile = out.resolve("windows-train-" + run + ".json");
            Path validationFile = out.resolve("windows-validation-" + run + ".json");
            Path diagnosticFile = out.resolve("windows-diagnostic-" + run + ".json");
            List<ForecastWindow> train;
            List<ForecastWindow> validation;
            List<ForecastWindow> diagnostic;
            if (reuse && Files.exists(trainFile) && Files.exists(validationFile)) {
                train = WindowBuilder.load(trainFile);
                validation = WindowBuilder.load(validationFile);
                diagnostic = WindowBuilder.load(diagnosticFile);
            } else {
                List<List<ForecastTask>> tasks =
                        split(
                                SeriesSources.rSeries(tsv),
                                SeriesSources.synthetic(seed + SYNTHETIC_STREAM, SYNTHETIC),
                                SeriesSources.vegaTraining(),
                                vegaInSplit,
                                seed);
                log(
                        started,
                        tasks.get(0).size()
                                + " training, "
                                + tasks.get(1).size()
                                + " validation tasks");
                train = WindowBuilder.build(tasks.get(0), windowForecaster);
                log(started, train.size() + " training windows");
                validation = WindowBuilder.build(tasks.get(1), windowForecaster);
                log(started, validation.size() + " validation windows");
                diagnostic = WindowBuilder.build(tasks.get(2), windowForecaster);
                WindowBuilder.save(train, trainFile);
                WindowBuilder.save(validation, validationFile);
                WindowBuilder.save(diagnostic, diagnosticFile);
            }
            List<ForecastWindow> scored = new ArrayList<>(validation);
            scored.addAll(diagnostic);
            List<MixtureReport.Candidate> candidates = new ArrayList<>();
            RouterRecipe best = null;
            double bestScore = Double.POSITIVE_INFINITY;
            for (RouterRecipe recipe : subsets ? RouterRecipe.subsetGrid() : RouterRecipe.grid()) {
                SoftmaxRouter router = recipe.fit(train);
                Map<String, Double> scores =
                        validate(router, recipe.experts(), scored, vegaInSplit);
                candidates.add(new MixtureReport.Candidate(recipe.describe(), scores));
                log(started, recipe.describe() + " " + scores);
                if (scores.get("score") < bestScore) {
                    bestScore = scores.get("score");
                    best = recipe;
                }
            }
            Map<String, Map<String, Double>> single = new LinkedHashMap<>();
            for (int k = 0; k < ExpertPanel.EXPERTS.size(); k++) {
                RouterRecipe only = new RouterRecipe(new int[] {k}, false, RouterLoss.FFORMA, 0, 0);
                single.put(
                        ExpertPanel.EXPERTS.get(k),
                        validate(only.fit(train), only.experts(), scored, vegaInSplit));
            }
            List<ForecastWindow> all = new ArrayList<>(train);
            all.addAll(validation);
            SoftmaxRouter router = best.fit(all);
            List<MixtureScore> heldOut =
                    MixtureEvaluation.evaluate(
                            VegaCatalog.training(), router, best.experts(), network);
            List<MixtureScore> zeroShot =
                    MixtureEvaluation.evaluate(
                            VegaCatalog.zeroShot(), router, best.experts(), network);
            double seconds = (System.nanoTime() - started) / 1e9;
            MixtureReport report =
                    new MixtureReport(
                            seed,
                            train.size(),
                            validation.size(),
                            candidates,
                            single,
                            best.describe(),
                            router,
                            heldOut,
                            zeroShot,
                            seconds);
            report.write(out);
            MixtureForecaster.save(router, out.resolve("router.json"));
            System.out.print(report.markdown());
        }
    }

    /** The network as an expert: forecasts from the last {@link TimeMoeTraining#CONTEXT} values. */
    private static ExpertPanel.NetworkForecaster forecaster(
            ZooModel<TimeSeriesData, Forecast> model) {
        return (history, horizon, freq) ->
                doubles(
                        ForecastEvaluation.forecast(
                                model,
                                ForecastEvaluation.floats(history),
                                horizon,
                                TimeMoeTraining.CONTEXT,
                                freq));
    }

    private static void log(long started, String message) {
        System.err.printf(
                Locale.ROOT, "[%6.0f s] %s%n", (System.nanoTime() - started) / 1e9, message);
    }

    private static double[] doubles(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }
}
