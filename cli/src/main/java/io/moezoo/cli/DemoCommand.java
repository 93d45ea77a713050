package io.moezoo.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import io.moezoo.blocks.layer.BlockTree;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.plots.ConfusionMatrixChart;
import io.moezoo.plots.ExpertLoadChart;
import io.moezoo.plots.ForecastChart;
import io.moezoo.plots.RoutingHeatmap;
import io.moezoo.plots.TrainingCurves;
import io.moezoo.recipes.demo.MultiDomainTraining;
import io.moezoo.recipes.timeseries.VegaCatalog;
import io.moezoo.recipes.timeseries.VegaSeries;
import io.moezoo.recipes.vision.FashionMnist;
import io.moezoo.translators.reward.PreferencePair;
import io.moezoo.translators.reward.PreferenceProbability;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.SequenceScore;
import io.moezoo.translators.timeseries.PointForecast;
import io.moezoo.zoo.MoeModelZoo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo demo}: the main job. Loads every zoo family from the configured repository (the
 * embedded one by default), runs a prediction with each, trains a small MoE for a few epochs,
 * prints a short report and writes the plots.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Show every model family working: generate and score text (language), classify"
                    + " Fashion-MNIST test images (vision), forecast a CO2 series (time series),"
                    + " compare two responses (reward), train a small MoE (training curves).",
            "Writes PNG plots to --out: routing heatmap, expert load, confusion matrix, forecast,"
                    + " training curves."
        })
final class DemoCommand implements Callable<Integer> {

    private static final String PROMPT = "The jury said the election was";

    /** The most epochs of the demo's training run. */
    static final int MAX_EPOCHS = 100;

    @Option(
            names = "--out",
            defaultValue = "moe-zoo-demo",
            description = "Directory for the plots (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--images",
            defaultValue = "1000",
            description = "Fashion-MNIST test images to classify (default ${DEFAULT-VALUE}).")
    int images;

    @Option(
            names = "--epochs",
            defaultValue = "3",
            description =
                    "Epochs of the small MoE training run, 1..100 (default ${DEFAULT-VALUE}).")
    int epochs;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    private final List<Path> plots = new ArrayList<>();

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (images <= 0 || images > 10_000 || epochs <= 0 || epochs > MAX_EPOCHS) {
            throw new IllegalArgumentException(
                    "--images must be in 1..10000 and --epochs in 1.."
                            + MAX_EPOCHS
                            + ", got "
                            + images
                            + " and "
                            + epochs);
        }
        OutputPaths.checkDirectory(out, "--out");
        PrintWriter w = spec.commandLine().getOut();
        w.println("MoE Zoo demo (" + new MoeModelZoo().getRepository() + ")");
        language(w);
        vision(w);
        timeSeries(w);
        reward(w);
        training(w);
        w.println();
        w.println("Plots:");
        for (Path p : plots) {
            w.printf(Locale.ROOT, "  %s (%,d bytes)%n", p, Files.size(p));
        }
        w.flush();
        return 0;
    }

    private static <I, O> ZooModel<I, O> load(String id, Class<I> in, Class<O> outType)
            throws Exception {
        return ZooCriteria.of(id, in, outType).build().loadModel();
    }

    private void language(PrintWriter w) throws Exception {
        w.println();
        w.println("== Language: brown-moe (MoE decoder trained on the Brown corpus)");
        try (ZooModel<String, GeneratedText> generator =
                        load("brown-moe", String.class, GeneratedText.class);
                Predictor<String, GeneratedText> p = generator.newPredictor()) {
            w.println("  prompt:       " + PROMPT);
            w.println("  continuation:" + p.predict(PROMPT).text());
        }
        try (ZooModel<String, SequenceScore> scorer =
                        load("brown-moe", String.class, SequenceScore.class);
                Predictor<String, SequenceScore> p = scorer.newPredictor();
                HuggingFaceTokenizer tokenizer =
                        HuggingFaceTokenizer.builder()
                                .optTokenizerPath(scorer.getModelPath().resolve("tokenizer.json"))
                                .optAddSpecialTokens(false)
                                // Only decodes ids: no truncation, so no maxLength to warn about.
                                .optTruncation(false)
                                .build()) {
            SequenceScore s = p.predict(PROMPT);
            w.printf(Locale.ROOT, "  perplexity of the prompt: %.1f%n", s.perplexity());
            List<MoeLayer> layers = BlockTree.find(scorer.getBlock(), MoeLayer.class);
            float[][] routing = layers.get(0).getLastStatistics().tokenExpertWeights();
            List<String> labels = new ArrayList<>();
            for (long id : s.tokenIds()) {
                labels.add(RoutingHeatmap.displayLabel(tokenizer.decode(new long[] {id})));
            }
            plot(
                    RoutingHeatmap.builder()
                            .setWeights(routing)
                            .setTokenLabels(labels)
                            .optTitle("brown-moe layer 0: routing weight of each token")
                            .build()
                            .writePng(out.resolve("routing-heatmap.png")));
            double[][] load = new double[layers.size()][];
            for (int l = 0; l < layers.size(); l++) {
                load[l] = layers.get(l).getLastStatistics().loadFractions();
            }
            plot(
                    ExpertLoadChart.builder()
                            .setLoadFractions(load)
                            .optTitle("brown-moe: expert load per layer on the prompt")
                            .build()
                            .writePng(out.resolve("expert-load.png")));
        }
    }

    private void vision(PrintWriter w) throws Exception {
        w.println();
        w.println("== Vision: vit-moe-fashion-mnist (ViT with V-MoE layers)");
        FashionMnist test = FashionMnist.load(FashionMnist.Split.TEST);
        int classes = FashionMnist.CLASS_NAMES.size();
        int[][] confusion = new int[classes][classes];
        int correct = 0;
        try (ZooModel<Image, Classifications> model =
                        load("vit-moe-fashion-mnist", Image.class, Classifications.class);
                Predictor<Image, Classifications> p = model.newPredictor()) {
            TerminalProgress progress = TerminalProgress.forConsole();
            progress.reset("Classifying", images);
            progress.start(0);
            for (int start = 0; start < images; start += 100) {
                List<Image> batch = new ArrayList<>();
                for (int i = start; i < Math.min(images, start + 100); i++) {
                    batch.add(test.image(i));
                }
                List<Classifications> results = p.batchPredict(batch);
                for (int i = 0; i < results.size(); i++) {
                    int label = test.label(start + i);
                    int predicted =
                            FashionMnist.CLASS_NAMES.indexOf(results.get(i).best().getClassName());
                    confusion[label][predicted]++;
                    if (label == predicted) {
                        correct++;
                    }
                }
                progress.increment(results.size());
            }
            progress.end();
        }
        w.printf(
                Locale.ROOT,
                "  accuracy on the first %d official test images: %.3f%n",
                images,
                (double) correct / images);
        plot(
                ConfusionMatrixChart.builder()
                        .setCounts(confusion)
                        .setClassNames(FashionMnist.CLASS_NAMES)
                        .optTitle("vit-moe-fashion-mnist: confusion on " + images + " test images")
                        .build()
                        .writePng(out.resolve("confusion-matrix.png")));
    }

    private void timeSeries(PrintWriter w) throws Exception {
        w.println();
        w.println("== Time series: time-moe-vega (Time-MoE-style decoder)");
        VegaSeries co2 =
                VegaCatalog.training().stream()
                        .filter(s -> s.name().equals("co2"))
                        .findFirst()
                        .orElseThrow();
        float[] values = co2.load();
        int horizon = co2.horizon();
        float[] history = Arrays.copyOf(values, values.length - horizon);
        float[] actual = Arrays.copyOfRange(values, values.length - horizon, values.length);
        Criteria<TimeSeriesData, Forecast> criteria =
                ZooCriteria.of("time-moe-vega", TimeSeriesData.class, Forecast.class)
                        .optArgument("prediction_length", horizon)
                        .build();
        try (ZooModel<TimeSeriesData, Forecast> model = criteria.loadModel();
                Predictor<TimeSeriesData, Forecast> p = model.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            TimeSeriesData input = new TimeSeriesData(1);
            input.add(FieldName.TARGET, manager.create(history));
            PointForecast f = (PointForecast) p.predict(input);
            float[] point = f.pointValues();
            double mae = 0;
            for (int i = 0; i < horizon; i++) {
                mae += Math.abs(point[i] - actual[i]) / horizon;
            }
            w.printf(
                    Locale.ROOT,
                    "  CO2 (vega-datasets), last %d months held out: forecast MAE %.2f ppm%n",
                    horizon,
                    mae);
            int shown = Math.min(96, history.length);
            plot(
                    ForecastChart.builder()
                            .setHistory(
                                    toDouble(
                                            Arrays.copyOfRange(
                                                    history,
                                                    history.length - shown,
                                                    history.length)))
                            .setForecast(toDouble(point))
                            .addBand(
                                    "10-90%",
                                    toDouble(f.quantileValues(0.1f)),
                                    toDouble(f.quantileValues(0.9f)))
                            .optActual(toDouble(actual))
                            .optTitle("time-moe-vega: CO2 concentration, held-out year")
                            .optAxisLabels("month", "ppm")
                            .build()
                            .writePng(out.resolve("forecast.png")));
        }
    }

    private static void reward(PrintWriter w) throws Exception {
        w.println();
        w.println("== Reward: dmoerm-brown (double-layer MoE reward model)");
        PreferencePair pair =
                new PreferencePair(
                        "The committee met on Friday and",
                        " approved the budget for the new school.",
                        " school the budget new approved for the.");
        try (ZooModel<PreferencePair, PreferenceProbability> model =
                        load("dmoerm-brown", PreferencePair.class, PreferenceProbability.class);
                Predictor<PreferencePair, PreferenceProbability> p = model.newPredictor()) {
            PreferenceProbability r = p.predict(pair);
            w.println("  prompt:   " + pair.prompt());
            w.println("  chosen:  " + pair.chosen());
            w.println("  rejected:" + pair.rejected());
            w.printf(
                    Locale.ROOT,
                    "  P(chosen preferred) = %.3f; routed category: %s%n",
                    r.probability(),
                    r.chosen().category());
        }
    }

    private void training(PrintWriter w) throws Exception {
        w.println();
        w.printf(
                Locale.ROOT,
                "== Training: a 2-layer MoE (4 SwiGLU experts, top-2) on 4 synthetic domains, %d"
                        + " epochs%n",
                epochs);
        MoeLayerSpec layer =
                MoeLayerSpec.of(RouterPresets.mixtral(4, 2), new SwiGluExpertSpec(4, 32, 64));
        MultiDomainTraining.Result r =
                MultiDomainTraining.train(
                        MultiDomainTraining.Config.of(layer).withEpochs(epochs),
                        TerminalProgress.forConsole());
        w.printf(
                Locale.ROOT,
                "  test accuracy %.3f (chance 0.25); I(expert; domain) per layer %s nats%n",
                r.testAccuracy()[r.testAccuracy().length - 1],
                Arrays.toString(
                        Arrays.stream(r.mutualInformation())
                                .map(v -> Math.round(v * 1000) / 1000.0)
                                .toArray()));
        plot(
                TrainingCurves.builder()
                        .setTaskLoss(r.taskLoss())
                        .optAuxLoss(r.auxLoss())
                        .optValidation("test accuracy", r.epochEndSteps(), r.testAccuracy())
                        .optTitle("MoE training: task and auxiliary loss")
                        .build()
                        .writePng(out.resolve("training-curves.png")));
    }

    private void plot(Path file) {
        plots.add(file);
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
