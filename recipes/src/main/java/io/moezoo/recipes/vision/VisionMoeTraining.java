package io.moezoo.recipes.vision;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.moezoo.blocks.dispatch.DispatcherKinds;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertActivation;
import io.moezoo.blocks.spec.ExpertChoiceSpec;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.vision.VisionMoeBlockFactory;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.models.vision.VisionMoeTransformer;
import io.moezoo.models.vision.VisionParameterNames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * Trains the zoo's Fashion-MNIST vision models from scratch and writes the {@code
 * vit-moe-fashion-mnist} artifact: a small V-MoE (8 GELU MLP experts, top-2 with capacity and
 * batch-prioritized routing, MoE in every other block) and, as the baseline of its card, a dense
 * ViT with the same activated parameters, trained with the same recipe, seed and budget.
 *
 * <p>The 60,000 training images are shuffled with the seed; the last {@link
 * TrainingRecipe#validationImages()} of them are held out for validation and the rest are trained
 * on. The official 10,000 test images are used only for the final metrics, measured on the saved
 * F16 artifact through DJL's {@code Criteria} and the shipped translator ({@link
 * FashionMnistEvaluator}).
 */
public final class VisionMoeTraining {

    /** The artifact id. */
    public static final String ARTIFACT_ID = "vit-moe-fashion-mnist";

    /** The artifact directory under the zoo module's resources. */
    public static final String ARTIFACT_PATH =
            "zoo-weights/src/main/resources/io/moezoo/zoo/repository/model/cv/image_classification/io/moezoo/"
                    + ARTIFACT_ID
                    + "/0.1.0";

    /** The Fashion-MNIST training-set pixel mean (of pixel / 255). */
    public static final float MEAN = 0.2860f;

    /** The Fashion-MNIST training-set pixel standard deviation (of pixel / 255). */
    public static final float STD = 0.3530f;

    private static final int HIDDEN = 64;
    private static final int LAYERS = 2;
    private static final int HEADS = 4;
    private static final int PATCH = 1;
    private static final List<Integer> STEM = List.of(32, 64, 128);
    private static final int EXPERTS = 8;
    private static final int TOP_K = 2;

    private VisionMoeTraining() {}

    /**
     * The result of training both models.
     *
     * @param moeName the MoE model's name
     * @param moeTestAccuracy the MoE artifact's accuracy on the official test set
     * @param moeValidationAccuracy the MoE model's accuracy on the held-out training images
     * @param moeSeconds the MoE model's training wall clock
     * @param denseName the dense baseline's name
     * @param denseTestAccuracy the dense baseline's test accuracy
     * @param denseValidationAccuracy the dense baseline's validation accuracy
     * @param denseSeconds the dense baseline's training wall clock
     * @param moeConfusion the MoE artifact's test confusion matrix {@code [label][predicted]}
     */
    public record TrainingReport(
            String moeName,
            double moeTestAccuracy,
            double moeValidationAccuracy,
            double moeSeconds,
            String denseName,
            double denseTestAccuracy,
            double denseValidationAccuracy,
            double denseSeconds,
            int[][] moeConfusion) {}

    /**
     * The V-MoE spec of the artifact.
     *
     * @return the spec
     */
    public static VisionMoeSpec moeSpec() {
        return moeSpec(HIDDEN, PATCH, LAYERS).withStem(STEM);
    }

    /**
     * The V-MoE spec at another width, patch size and depth, without a stem (exploration runs; the
     * previous artifact was {@code moeSpec(64, 4, 4)}).
     *
     * @param hidden the width D
     * @param patch the patch side P
     * @param layers the number of encoder blocks (MoE in every second one)
     * @return the spec
     */
    public static VisionMoeSpec moeSpec(int hidden, int patch, int layers) {
        return moeSpec(hidden, patch, layers, EXPERTS, TOP_K, hidden);
    }

    /**
     * The V-MoE spec with another expert granularity (exploration runs): E experts of width w,
     * top-k, so a token activates k·w expert units ({@code moeSpec(64, 1, 2, 16, 4, 32)} splits
     * each of the artifact's experts in two and routes to twice as many, as fine-grained MoE layers
     * do).
     *
     * @param hidden the width D
     * @param patch the patch side P
     * @param layers the number of encoder blocks (MoE in every second one)
     * @param numExperts E
     * @param topK k
     * @param expertWidth w
     * @return the spec
     */
    public static VisionMoeSpec moeSpec(
            int hidden, int patch, int layers, int numExperts, int topK, int expertWidth) {
        return moeSpec(hidden, patch, layers, expertWidth, capacityTopK(numExperts, topK));
    }

    /**
     * The artifact's router: V-MoE's capacity top-k (capacity factor 1.05 per image, rounded up to
     * a multiple of 4), batch-prioritized, router noise 1/E in training.
     *
     * @param numExperts E
     * @param topK k
     * @return the router spec
     */
    public static CapacityTopKSpec capacityTopK(int numExperts, int topK) {
        return CapacityTopKSpec.of(numExperts, topK, 1.05f)
                .withCapacityMultiple(4)
                .withBatchPrioritized(true)
                .withNoiseStd(1.0f);
    }

    /**
     * Expert choice routing (Zhou et al. 2022) in each image's group of tokens: every expert takes
     * the {@code capacity} tokens of the image it scores highest, so E · capacity token slots per
     * image ({@code capacity} 2 with 8 experts: 16 slots for 9 tokens, against top-2's 18). Load is
     * balanced by construction, so the model trains without auxiliary losses.
     *
     * @param numExperts E
     * @param topK k, the average experts per token the capacity is sized for
     * @param capacity tokens per expert and image
     * @return the router spec
     */
    public static ExpertChoiceSpec expertChoice(int numExperts, int topK, int capacity) {
        return new ExpertChoiceSpec(numExperts, topK, -1f, capacity, 1, 0, 1f);
    }

    /**
     * The V-MoE spec with another router (exploration runs); routers without selection
     * probabilities (expert choice) train without the importance and load losses.
     *
     * @param hidden the width D
     * @param patch the patch side P
     * @param layers the number of encoder blocks (MoE in every second one)
     * @param expertWidth w
     * @param router the router, whose E and k size the experts
     * @return the spec
     */
    public static VisionMoeSpec moeSpec(
            int hidden, int patch, int layers, int expertWidth, RouterSpec router) {
        int numExperts = router.numExperts();
        float auxWeight = router instanceof CapacityTopKSpec ? 0.005f : 0f;
        ExpertSpec experts =
                MlpExpertSpec.of(numExperts, hidden, expertWidth)
                        .withActivation(ExpertActivation.GELU)
                        .withBias(true);
        return spec(
                "vit-moe-fashion-mnist",
                hidden,
                patch,
                layers,
                VisionMoeSpec.everyNth(layers, 2),
                router,
                experts,
                auxWeight,
                auxWeight);
    }

    /**
     * The dense baseline: every MLP dense with width k × expert width, the width of the k experts a
     * token activates in the MoE model.
     *
     * @return the spec
     */
    public static VisionMoeSpec denseSpec() {
        return denseSpec(HIDDEN, PATCH, LAYERS).withStem(STEM);
    }

    /**
     * The dense baseline at another width, patch size and depth, without a stem.
     *
     * @param hidden the width D
     * @param patch the patch side P
     * @param layers the number of encoder blocks
     * @return the spec
     */
    public static VisionMoeSpec denseSpec(int hidden, int patch, int layers) {
        return spec(
                "vit-dense-fashion-mnist", hidden, patch, layers, List.of(), null, null, 0f, 0f);
    }

    private static VisionMoeSpec spec(
            String name,
            int hidden,
            int patch,
            int layers,
            List<Integer> moeLayers,
            RouterSpec router,
            ExpertSpec experts,
            float importance,
            float load) {
        return new VisionMoeSpec(
                name,
                FashionMnist.SIDE,
                1,
                patch,
                hidden,
                layers,
                HEADS,
                TOP_K * hidden,
                moeLayers,
                router,
                experts,
                DispatcherKinds.SORTED,
                VisionMoeSpec.Pooling.MEAN,
                FashionMnist.CLASS_NAMES.size(),
                1e-6f,
                importance,
                load,
                MEAN,
                STD);
    }

    /**
     * The recipe both models are trained with.
     *
     * @return the recipe
     */
    public static TrainingRecipe recipe() {
        return new TrainingRecipe(20, 128, 2e-3f, 100, 0.05f, 1, false, 0f, 0f, 5000, 0);
    }

    /**
     * Returns a recipe with one field changed, for exploration runs from the command line.
     *
     * @param r the recipe
     * @param assignment {@code KEY=VALUE} with KEY one of epochs, batch, lr, warmup, wd, shift,
     *     flip, erasing, smoothing, validation, maxSteps
     * @return the changed recipe
     * @throws IllegalArgumentException if the key is unknown or the value invalid
     */
    public static TrainingRecipe recipe(TrainingRecipe r, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("Expected KEY=VALUE, got " + assignment);
        }
        String key = assignment.substring(0, eq);
        String v = assignment.substring(eq + 1);
        if (!List.of(
                        "epochs",
                        "batch",
                        "lr",
                        "warmup",
                        "wd",
                        "shift",
                        "flip",
                        "erasing",
                        "smoothing",
                        "validation",
                        "maxSteps")
                .contains(key)) {
            throw new IllegalArgumentException("Unknown recipe field " + key);
        }
        return new TrainingRecipe(
                key.equals("epochs") ? Integer.parseInt(v) : r.epochs(),
                key.equals("batch") ? Integer.parseInt(v) : r.batchSize(),
                key.equals("lr") ? Float.parseFloat(v) : r.learningRate(),
                key.equals("warmup") ? Integer.parseInt(v) : r.warmupSteps(),
                key.equals("wd") ? Float.parseFloat(v) : r.weightDecay(),
                key.equals("shift") ? Integer.parseInt(v) : r.maxShift(),
                key.equals("flip") ? Boolean.parseBoolean(v) : r.horizontalFlip(),
                key.equals("erasing") ? Float.parseFloat(v) : r.randomErasing(),
                key.equals("smoothing") ? Float.parseFloat(v) : r.labelSmoothing(),
                key.equals("validation") ? Integer.parseInt(v) : r.validationImages(),
                key.equals("maxSteps") ? Integer.parseInt(v) : r.maxStepsPerEpoch());
    }

    /**
     * Trains the MoE model and the dense baseline and writes the artifact directory ({@code
     * model.json}, {@code model.safetensors}, {@code synset.txt}, {@code card.json}, {@code
     * README.md}).
     *
     * @param artifactDir the directory to write
     * @param seed the seed of initialisation, shuffling, augmentation and router noise
     * @return the report
     * @throws IOException if the data cannot be read or the artifact cannot be written
     */
    public static TrainingReport train(Path artifactDir, long seed) throws IOException {
        return train(artifactDir, seed, recipe(), System.err);
    }

    /**
     * Trains both models with a given recipe and writes the artifact directory.
     *
     * @param artifactDir the directory to write
     * @param seed the seed
     * @param recipe the recipe
     * @param log receives progress lines
     * @return the report
     * @throws IOException if the data cannot be read or the artifact cannot be written
     */
    public static TrainingReport train(
            Path artifactDir, long seed, TrainingRecipe recipe, PrintStream log)
            throws IOException {
        FashionMnist train = FashionMnist.load(FashionMnist.Split.TRAIN);
        Path denseDir = Paths.get("target", "vision", denseSpec().name());
        trainOne(moeSpec(), recipe, train, seed, artifactDir, log);
        trainOne(denseSpec(), recipe, train, seed, denseDir, log);
        return writeCard(artifactDir, denseDir, seed, recipe, log);
    }

    /**
     * Trains one model and writes its directory: {@code model.json}, {@code model.safetensors},
     * {@code synset.txt} and {@code training.json} (validation accuracy and wall-clock seconds).
     *
     * @param spec the model
     * @param recipe the recipe
     * @param train the training split
     * @param seed the seed
     * @param dir the directory to write
     * @param log receives progress lines
     * @throws IOException if the directory cannot be written
     */
    public static void trainOne(
            VisionMoeSpec spec,
            TrainingRecipe recipe,
            FashionMnist train,
            long seed,
            Path dir,
            PrintStream log)
            throws IOException {
        Files.createDirectories(dir);
        double[] fit = fitAndSave(spec, recipe, train, seed, dir, log);
        JsonObject o = new JsonObject();
        o.addProperty("validation_accuracy", fit[0]);
        o.addProperty("seconds", fit[1]);
        o.add("recipe", recipe.toJsonObject());
        o.addProperty("seed", seed);
        Files.writeString(dir.resolve("training.json"), o.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Measures a trained MoE artifact and its dense baseline on the official test set through
     * Criteria and writes the artifact's {@code card.json} and {@code README.md}.
     *
     * @param artifactDir the MoE artifact directory (written by {@link #trainOne})
     * @param denseDir the dense baseline directory (written by {@link #trainOne})
     * @param seed the seed both were trained with
     * @param recipe the recipe both were trained with
     * @param log receives progress lines
     * @return the report
     * @throws IOException if a directory cannot be read or the card cannot be written
     */
    public static TrainingReport writeCard(
            Path artifactDir, Path denseDir, long seed, TrainingRecipe recipe, PrintStream log)
            throws IOException {
        FashionMnist test = FashionMnist.load(FashionMnist.Split.TEST);
        VisionMoeSpec moe = VisionMoeBlockFactory.readSpec(artifactDir.resolve("model.json"));
        VisionMoeSpec dense = VisionMoeBlockFactory.readSpec(denseDir.resolve("model.json"));
        JsonObject moeFit = readTraining(artifactDir);
        JsonObject denseFit = readTraining(denseDir);
        FashionMnistEvaluator.Evaluation moeEval = evaluateArtifact(artifactDir, test);
        log.printf(Locale.ROOT, "%s test accuracy %.4f%n", moe.name(), moeEval.accuracy());
        FashionMnistEvaluator.Evaluation denseEval = evaluateArtifact(denseDir, test);
        log.printf(Locale.ROOT, "%s test accuracy %.4f%n", dense.name(), denseEval.accuracy());
        TrainingReport report =
                new TrainingReport(
                        moe.name(),
                        moeEval.accuracy(),
                        moeFit.get("validation_accuracy").getAsDouble(),
                        moeFit.get("seconds").getAsDouble(),
                        dense.name(),
                        denseEval.accuracy(),
                        denseFit.get("validation_accuracy").getAsDouble(),
                        denseFit.get("seconds").getAsDouble(),
                        moeEval.confusion());
        Files.deleteIfExists(artifactDir.resolve("training.json"));
        ModelCard.write(artifactDir, moe, dense, recipe, seed, report, moeEval, denseEval);
        return report;
    }

    private static JsonObject readTraining(Path dir) throws IOException {
        Path file = dir.resolve("training.json");
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " not found; train the model first");
        }
        return com.google.gson.JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    /** Trains one model and writes model.json, model.safetensors and synset.txt. */
    private static double[] fitAndSave(
            VisionMoeSpec spec,
            TrainingRecipe recipe,
            FashionMnist train,
            long seed,
            Path dir,
            PrintStream log)
            throws IOException {
        long started = System.nanoTime();
        try (Model model = Model.newInstance(spec.name(), "PyTorch")) {
            VisionMoeTransformer block = new VisionMoeTransformer(spec);
            model.setBlock(block);
            double validation = VisionTrainingLoop.fit(model, block, recipe, train, seed, log);
            double seconds = (System.nanoTime() - started) / 1e9;
            Files.writeString(dir.resolve("model.json"), spec.toJson(), StandardCharsets.UTF_8);
            ParameterFile.save(
                    block,
                    dir.resolve("model.safetensors"),
                    TensorDType.F16,
                    VisionParameterNames::fileKey);
            Files.write(
                    dir.resolve("synset.txt"), FashionMnist.CLASS_NAMES, StandardCharsets.UTF_8);
            return new double[] {validation, seconds};
        }
    }

    /**
     * Loads an artifact directory through DJL's Criteria and measures it on a data set.
     *
     * @param dir the artifact directory
     * @param data the evaluation data
     * @return the evaluation
     * @throws IOException if the artifact cannot be loaded or prediction fails
     */
    public static FashionMnistEvaluator.Evaluation evaluateArtifact(Path dir, FashionMnist data)
            throws IOException {
        try (ZooModel<Image, Classifications> model = FashionMnistEvaluator.load(dir)) {
            return FashionMnistEvaluator.evaluate(model, data, 250);
        }
    }

    /** Parses {@code 32,64,128} (or {@code none}) into stem widths. */
    private static List<Integer> parseStem(String v) {
        if (v.equals("none")) {
            return List.of();
        }
        return java.util.Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
    }

    /**
     * Command line: {@code [ARTIFACT_DIR] [SEED]} trains both models with {@link #recipe()} and
     * writes the artifact; {@code moe|dense DIR SEED [KEY=VALUE...]} trains one model into DIR with
     * the default recipe changed by the given fields ({@link #recipe(TrainingRecipe, String)}:
     * epochs, batch, lr, warmup, wd, shift, flip, erasing, smoothing, validation, maxSteps) and
     * optionally {@code hidden=D} / {@code patch=P} / {@code layers=L} / {@code
     * stem=32,64,128|none} / {@code stemUnpooled=N} / {@code pooling=mean|flatten|class_token} /
     * {@code experts=E} / {@code topk=K} / {@code expertWidth=W} / {@code router=expert_choice}
     * with {@code capacity=C} (MoE only) for another width, patch size, depth, convolutional stem,
     * pooling or expert granularity; {@code selection [ARTIFACT_DIR]} rewrites the card's list of
     * recipes tried from {@code RecipeSelection}, every measured number unchanged (a trial that was
     * not adopted); {@code card ARTIFACT_DIR DENSE_DIR SEED} measures both and writes the card (the
     * recipe must be the default one).
     *
     * @param args the arguments
     * @throws IOException if data cannot be read or files cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && (args[0].equals("moe") || args[0].equals("dense"))) {
            TrainingRecipe r = recipe();
            int hidden = HIDDEN;
            int patch = PATCH;
            int layers = LAYERS;
            List<Integer> stem = STEM;
            int unpooled = 0;
            VisionMoeSpec.Pooling pooling = VisionMoeSpec.Pooling.MEAN;
            int numExperts = EXPERTS;
            int topK = TOP_K;
            int expertWidth = -1;
            String router = "capacity_top_k";
            int capacity = 2;
            for (int i = 3; i < args.length; i++) {
                if (args[i].startsWith("hidden=")) {
                    hidden = Integer.parseInt(args[i].substring("hidden=".length()));
                } else if (args[i].startsWith("patch=")) {
                    patch = Integer.parseInt(args[i].substring("patch=".length()));
                } else if (args[i].startsWith("layers=")) {
                    layers = Integer.parseInt(args[i].substring("layers=".length()));
                } else if (args[i].startsWith("experts=")) {
                    numExperts = Integer.parseInt(args[i].substring("experts=".length()));
                } else if (args[i].startsWith("topk=")) {
                    topK = Integer.parseInt(args[i].substring("topk=".length()));
                } else if (args[i].startsWith("router=")) {
                    router = args[i].substring("router=".length());
                    if (!router.equals("capacity_top_k") && !router.equals("expert_choice")) {
                        throw new IllegalArgumentException(
                                "router must be capacity_top_k or expert_choice, got '"
                                        + router
                                        + "'");
                    }
                } else if (args[i].startsWith("capacity=")) {
                    capacity = Integer.parseInt(args[i].substring("capacity=".length()));
                } else if (args[i].startsWith("expertWidth=")) {
                    expertWidth = Integer.parseInt(args[i].substring("expertWidth=".length()));
                } else if (args[i].startsWith("pooling=")) {
                    pooling =
                            VisionMoeSpec.Pooling.valueOf(
                                    args[i].substring("pooling=".length())
                                            .toUpperCase(Locale.ROOT));
                } else if (args[i].startsWith("stem=")) {
                    stem = parseStem(args[i].substring("stem=".length()));
                } else if (args[i].startsWith("stemUnpooled=")) {
                    unpooled = Integer.parseInt(args[i].substring("stemUnpooled=".length()));
                } else {
                    r = recipe(r, args[i]);
                }
            }
            trainOne(
                    (args[0].equals("moe")
                                    ? moeSpec(
                                            hidden,
                                            patch,
                                            layers,
                                            expertWidth > 0 ? expertWidth : hidden,
                                            router.equals("expert_choice")
                                                    ? expertChoice(numExperts, topK, capacity)
                                                    : capacityTopK(numExperts, topK))
                                    : denseSpec(hidden, patch, layers))
                            .withStem(stem, unpooled)
                            .withPooling(pooling),
                    r,
                    FashionMnist.load(FashionMnist.Split.TRAIN),
                    args.length > 2 ? Long.parseLong(args[2]) : 42L,
                    Paths.get(args[1]),
                    System.err);
            return;
        }
        if (args.length > 0 && args[0].equals("selection")) {
            Path dir = Paths.get(args.length > 1 ? args[1] : ARTIFACT_PATH);
            RecipeSelection.refreshSelection(dir);
            CnnBaseline.publishIfInZoo(dir);
            return;
        }
        TrainingReport report;
        if (args.length > 0 && args[0].equals("card")) {
            report =
                    writeCard(
                            Paths.get(args[1]),
                            Paths.get(args[2]),
                            Long.parseLong(args[3]),
                            recipe(),
                            System.err);
        } else {
            Path dir = Paths.get(args.length > 0 ? args[0] : ARTIFACT_PATH);
            long seed = args.length > 1 ? Long.parseLong(args[1]) : 42L;
            report = train(dir, seed);
        }
        System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(report));
    }
}
