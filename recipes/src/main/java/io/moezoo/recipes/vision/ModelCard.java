package io.moezoo.recipes.vision;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertChoiceSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.models.vision.VisionMoeBlockFactory;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.translators.vision.GrayscaleImageClassificationTranslatorFactory;
import io.moezoo.zoo.ZooCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes the {@code card.json} and {@code README.md} of the vision artifact. */
final class ModelCard {

    /** Absolute tolerance on re-measured test accuracy (30 of 10,000 images). */
    static final double ACCURACY_TOLERANCE = 0.003;

    static final String COMMAND = ZooCatalog.retrainCommand("vit-moe-fashion-mnist");

    private ModelCard() {}

    static void write(
            Path dir,
            VisionMoeSpec moe,
            VisionMoeSpec dense,
            TrainingRecipe recipe,
            long seed,
            VisionMoeTraining.TrainingReport report,
            FashionMnistEvaluator.Evaluation moeEval,
            FashionMnistEvaluator.Evaluation denseEval)
            throws IOException {
        // The classical baselines (CnnBaseline) are trained apart; a retrain of the ViTs keeps
        // them.
        Path previous = dir.resolve("card.json");
        JsonObject baselines =
                Files.isRegularFile(previous)
                        ? com.google.gson.JsonParser.parseString(
                                        Files.readString(previous, StandardCharsets.UTF_8))
                                .getAsJsonObject()
                                .getAsJsonObject("baselines")
                        : null;
        JsonObject card = new JsonObject();
        card.addProperty("artifactId", VisionMoeTraining.ARTIFACT_ID);
        card.addProperty("application", "cv/image_classification");
        JsonObject metrics = new JsonObject();
        metrics.addProperty("test_accuracy", round(moeEval.accuracy()));
        card.add("metrics", metrics);
        JsonObject tolerance = new JsonObject();
        tolerance.addProperty("test_accuracy", ACCURACY_TOLERANCE);
        card.add("tolerance", tolerance);
        JsonObject validation = new JsonObject();
        validation.addProperty("accuracy", round(report.moeValidationAccuracy()));
        validation.addProperty(
                "description",
                "accuracy after the last epoch on the "
                        + recipe.validationImages()
                        + " held-out training images (F32 weights, measured during training); the"
                        + " recipe was chosen on this split (see test_set_use)");
        validation.add("recipes_tried", RecipeSelection.recipesTried());
        validation.addProperty("test_set_use", RecipeSelection.TEST_SET_USE);
        card.add("validation", validation);
        card.add("confusion_matrix", matrix(moeEval.confusion()));
        card.addProperty(
                "confusion_matrix_layout",
                "confusion_matrix[label][predicted], labels in synset.txt order");
        card.addProperty(
                "data",
                "Fashion-MNIST (Debian package dataset-fashion-mnist): 60,000 training images, of"
                        + " which "
                        + recipe.validationImages()
                        + " (seeded shuffle) are held out for validation; metrics on the official"
                        + " 10,000-image test set (t10k)");
        card.add("recipe", recipe.toJsonObject());
        card.addProperty("seed", seed);
        card.addProperty("totalParameters", moe.totalParameters());
        card.addProperty("activatedParameters", moe.activatedParameters());
        card.addProperty("trainingSeconds", Math.round(report.moeSeconds()));
        card.addProperty(
                "secondsPerEpoch", Math.round(report.moeSeconds() / recipe.epochs() * 10) / 10.0);
        JsonObject baseline = new JsonObject();
        baseline.addProperty("name", dense.name());
        baseline.addProperty(
                "description",
                "dense ViT, same "
                        + (dense.stemChannels().isEmpty() ? "" : "convolutional stem and ")
                        + "blocks, every MLP dense with width k x expert width = "
                        + dense.mlpSize()
                        + "; same recipe, seed and budget; not shipped");
        baseline.addProperty("test_accuracy", round(denseEval.accuracy()));
        baseline.addProperty("validation_accuracy", round(report.denseValidationAccuracy()));
        baseline.addProperty("totalParameters", dense.totalParameters());
        baseline.addProperty("activatedParameters", dense.activatedParameters());
        baseline.addProperty("trainingSeconds", Math.round(report.denseSeconds()));
        baseline.addProperty(
                "secondsPerEpoch", Math.round(report.denseSeconds() / recipe.epochs() * 10) / 10.0);
        card.add("baseline", baseline);
        if (baselines != null) {
            card.add("baselines", baselines);
        }
        JsonObject arguments = new JsonObject();
        arguments.addProperty("blockFactory", VisionMoeBlockFactory.class.getName());
        arguments.addProperty(
                "translatorFactory", GrayscaleImageClassificationTranslatorFactory.class.getName());
        for (Map.Entry<String, Object> e :
                FashionMnistEvaluator.translatorArguments(moe).entrySet()) {
            if (e.getValue() instanceof Number n) {
                arguments.addProperty(e.getKey(), n);
            } else {
                arguments.addProperty(e.getKey(), e.getValue().toString());
            }
        }
        card.add("arguments", arguments);
        card.addProperty("command", COMMAND);
        card.addProperty(
                "evaluationCommand",
                "mvn -o -pl recipes -am test -Dtest='VisionArtifactTest'"
                        + " -Dsurefire.failIfNoSpecifiedTests=false");
        Files.writeString(
                dir.resolve("card.json"),
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(card)
                        + "\n",
                StandardCharsets.UTF_8);
        String readme = readme(moe, dense, recipe, seed, report, moeEval, denseEval);
        if (baselines != null && baselines.has(CnnBaseline.KEY)) {
            readme = CnnBaseline.withReadme(readme, baselines.getAsJsonObject(CnnBaseline.KEY));
        }
        Files.writeString(dir.resolve("README.md"), readme, StandardCharsets.UTF_8);
    }

    /**
     * Reads a written {@code card.json}, lets {@code edit} change it and writes it back.
     *
     * @param dir the artifact directory
     * @param edit the change
     * @throws IOException if the card cannot be read or written
     */
    static void updateCardJson(Path dir, java.util.function.Consumer<JsonObject> edit)
            throws IOException {
        Path cardFile = dir.resolve("card.json");
        JsonObject card =
                com.google.gson.JsonParser.parseString(
                                Files.readString(cardFile, StandardCharsets.UTF_8))
                        .getAsJsonObject();
        edit.accept(card);
        Files.writeString(
                cardFile,
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(card)
                        + "\n",
                StandardCharsets.UTF_8);
    }

    /** The card line describing the convolutional stem of a hybrid model (empty without one). */
    static String stemDescription(VisionMoeSpec spec) {
        if (spec.stemChannels().isEmpty()) {
            return "";
        }
        return String.format(
                Locale.ROOT,
                "- Convolutional stem (hybrid ViT): %d stages of 3x3 convolution (no bias),"
                        + " BatchNorm, ReLU and 2x2 max pooling%s with %s channels, so the image"
                        + " becomes a %dx%dx%d feature map (%s); the patches are cut from this"
                        + " map.%n",
                spec.stemChannels().size(),
                spec.stemUnpooled() == 0 ? "" : " (none in the last " + spec.stemUnpooled() + ")",
                spec.stemChannels(),
                spec.featureChannels(),
                spec.featureSide(),
                spec.featureSide(),
                sides(spec));
    }

    /** The card's words for the MoE layer's routing rule (one sentence). */
    static String routerDescription(RouterSpec router) {
        if (router instanceof CapacityTopKSpec c) {
            return String.format(
                    Locale.ROOT,
                    "CAPACITY_TOP_K: softmax gates, top-%d, combine weights = raw gate values,"
                            + " capacity factor %.2f per image rounded up to a multiple of %d,"
                            + " batch-prioritized routing (BPR), router noise std %.1f/E in"
                            + " training only.",
                    c.topK(),
                    c.capacityFactor(),
                    c.capacityMultiple(),
                    c.noiseStd());
        }
        if (router instanceof ExpertChoiceSpec e) {
            return String.format(
                    Locale.ROOT,
                    "EXPERT_CHOICE (Zhou et al. 2022): softmax scores over the experts, each"
                            + " expert takes the %s tokens of the image it scores highest, combine"
                            + " weights = those scores.",
                    e.capacity() > 0
                            ? String.valueOf(e.capacity())
                            : String.format(
                                    Locale.ROOT,
                                    "k x tokens x %.2f / E (k = %d)",
                                    e.capacityFactor(),
                                    e.topK()));
        }
        return router.toJson() + ".";
    }

    /** The card's line on the auxiliary losses. */
    static String auxLossDescription(VisionMoeSpec spec) {
        if (spec.importanceLossWeight() == 0 && spec.loadLossWeight() == 0) {
            return "Auxiliary losses: none.";
        }
        return String.format(
                Locale.ROOT,
                "Auxiliary losses: V-MoE importance loss (weight %.3f) and load loss (weight"
                        + " %.3f).",
                spec.importanceLossWeight(),
                spec.loadLossWeight());
    }

    /** The card's words for how the final tokens become the head's input. */
    static String poolingDescription(VisionMoeSpec spec) {
        return switch (spec.pooling()) {
            case MEAN ->
                    "no class token: the final LayerNorm'ed tokens are mean-pooled (global"
                            + " average pooling) and a linear head maps the mean to 10 class logits.";
            case FLATTEN ->
                    String.format(
                            Locale.ROOT,
                            "no class token: the final LayerNorm'ed tokens are concatenated in grid order"
                                    + " (%d x %d = %,d values, each position weighed on its own, as the"
                                    + " CNN's dense layer reads its feature map) and a linear head maps"
                                    + " them to 10 class logits.",
                            spec.numPatches(),
                            spec.hiddenSize(),
                            spec.headInputs());
            case CLASS_TOKEN ->
                    "a learned class token is prepended; a linear head maps its"
                            + " final LayerNorm'ed state to 10 class logits.";
        };
    }

    private static String sides(VisionMoeSpec spec) {
        StringBuilder b = new StringBuilder().append(spec.imageSize());
        for (int i = 1; i <= spec.stemChannels().size() - spec.stemUnpooled(); i++) {
            b.append(" -> ").append(spec.imageSize() >> i);
        }
        return b.toString();
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static JsonArray matrix(int[][] m) {
        JsonArray rows = new JsonArray();
        for (int[] row : m) {
            JsonArray r = new JsonArray();
            for (int v : row) {
                r.add(v);
            }
            rows.add(r);
        }
        return rows;
    }

    private static String readme(
            VisionMoeSpec moe,
            VisionMoeSpec dense,
            TrainingRecipe recipe,
            long seed,
            VisionMoeTraining.TrainingReport report,
            FashionMnistEvaluator.Evaluation moeEval,
            FashionMnistEvaluator.Evaluation denseEval) {
        StringBuilder s = new StringBuilder();
        s.append("# vit-moe-fashion-mnist 0.1.0\n\n");
        s.append(
                String.format(
                        Locale.ROOT,
                        "A small %sVision Transformer with V-MoE MLP layers (Riquelme et al."
                                + " 2021), trained from scratch on Fashion-MNIST with MoE Zoo's"
                                + " Java/DJL blocks.%n%n",
                        moe.stemChannels().isEmpty()
                                ? ""
                                : "hybrid (convolutional stem, Dosovitskiy et al. 2021) "));
        s.append("## Model\n\n");
        s.append(
                String.format(
                        Locale.ROOT,
                        "- Input: one 28x28 grayscale image, pixels normalised as (p / 255 - %.4f)"
                                + " / %.4f.%n"
                                + "%s"
                                + "- Patch embedding: %dx%d patches (%d tokens), linear to D = %d;"
                                + " learned position embeddings; %s%n"
                                + "- %d pre-LayerNorm encoder blocks with %d-head bidirectional"
                                + " self-attention. MoE MLP in blocks %s (V-MoE \"every 2\""
                                + " placement); the other blocks have a dense GELU MLP of width"
                                + " %d.%n"
                                + "- MoE layer: %d GELU MLP experts of width %d (with biases),"
                                + " router %s Each image is one routing group, so a prediction"
                                + " does not depend on the rest of its batch.%n"
                                + "- %s%n"
                                + "- Parameters: %,d total, %,d activated per token.%n%n",
                        moe.inputMean(),
                        moe.inputStd(),
                        stemDescription(moe),
                        moe.patchSize(),
                        moe.patchSize(),
                        moe.numPatches(),
                        moe.hiddenSize(),
                        poolingDescription(moe),
                        moe.numLayers(),
                        moe.numHeads(),
                        moe.moeLayers(),
                        moe.mlpSize(),
                        moe.experts().numExperts(),
                        moe.experts().intermediateSize(),
                        routerDescription(moe.router()),
                        auxLossDescription(moe),
                        moe.totalParameters(),
                        moe.activatedParameters()));
        s.append("## Training\n\n");
        s.append(
                String.format(
                        Locale.ROOT,
                        "Fashion-MNIST from the Debian package `dataset-fashion-mnist`. The 60,000"
                                + " training images are shuffled with the seed; the last %,d are"
                                + " held out for validation, the rest are trained on. AdamW (weight"
                                + " decay %.3f), batch %d, %d epochs, peak learning rate %.4f after"
                                + " %d linear warm-up steps, cosine decay to 1%% of the peak;"
                                + " augmentation: %s; loss: %s (plus the auxiliary"
                                + " losses). Seed %d. Wall clock on a shared 2-core CPU"
                                + " (one PyTorch thread, OMP_NUM_THREADS=1, as the retrain"
                                + " command sets it):"
                                + " %.0f s (%.0f s per epoch, including the per-epoch validation"
                                + " pass); the dense baseline %.0f s.%n%n",
                        recipe.validationImages(),
                        recipe.weightDecay(),
                        recipe.batchSize(),
                        recipe.epochs(),
                        recipe.learningRate(),
                        recipe.warmupSteps(),
                        recipe.augmentation(),
                        recipe.labelSmoothing() == 0
                                ? "softmax cross-entropy"
                                : String.format(
                                        Locale.ROOT,
                                        "softmax cross-entropy with label smoothing %.2f",
                                        recipe.labelSmoothing()),
                        seed,
                        report.moeSeconds(),
                        report.moeSeconds() / recipe.epochs(),
                        report.denseSeconds()));
        s.append(RecipeSelection.section());
        s.append(RecipeSelection.RESULTS_HEADING).append("\n\n");
        s.append(
                "| model | total params | activated params | validation accuracy | test accuracy |\n");
        s.append("|---|---:|---:|---:|---:|\n");
        s.append(
                String.format(
                        Locale.ROOT,
                        "| %s (this artifact, F16 weights) | %,d | %,d | %.4f | %.4f |%n",
                        moe.name(),
                        moe.totalParameters(),
                        moe.activatedParameters(),
                        report.moeValidationAccuracy(),
                        moeEval.accuracy()));
        s.append(
                String.format(
                        Locale.ROOT,
                        "| %s (baseline, not shipped) | %,d | %,d | %.4f | %.4f |%n%n",
                        dense.name(),
                        dense.totalParameters(),
                        dense.activatedParameters(),
                        report.denseValidationAccuracy(),
                        denseEval.accuracy()));
        s.append(
                String.format(
                        Locale.ROOT,
                        "Validation accuracy is measured with the F32 weights at the end of"
                                + " training on the held-out training images; every recipe choice"
                                + " was made on it. The test set is measured once, after training,"
                                + " on the F16 artifact; validation minus test: %+.1f points for"
                                + " this model.%n%n",
                        100 * (report.moeValidationAccuracy() - moeEval.accuracy())));
        s.append(
                "The dense baseline replaces every MLP by a dense GELU MLP of width k x expert"
                        + " width, the width of the k experts a token activates. Its activated"
                        + " parameters differ from the MoE model's only by the routers and the"
                        + " (k-1) extra expert output biases per MoE block. Both models are measured"
                        + " the same way: the F16 weights loaded through DJL Criteria, predicted"
                        + " with the shipped translator in batches of 250.\n\n");
        s.append(
                "Confusion matrix (`card.json` `confusion_matrix[label][predicted]`, rows and"
                        + " columns in `synset.txt` order):\n\n");
        s.append("| label \\ predicted |");
        for (int c = 0; c < FashionMnist.CLASS_NAMES.size(); c++) {
            s.append(' ').append(c).append(" |");
        }
        s.append("\n|---|");
        s.append("---:|".repeat(FashionMnist.CLASS_NAMES.size()));
        s.append('\n');
        for (int r = 0; r < FashionMnist.CLASS_NAMES.size(); r++) {
            s.append("| ")
                    .append(r)
                    .append(' ')
                    .append(FashionMnist.CLASS_NAMES.get(r))
                    .append(" |");
            for (int v : moeEval.confusion()[r]) {
                s.append(' ').append(v).append(" |");
            }
            s.append('\n');
        }
        s.append("\n## Use\n\n");
        s.append(
                "Load with `Criteria` (`blockFactory` = `io.moezoo.models.vision.VisionMoeBlockFactory`,"
                        + " `translatorFactory` ="
                        + " `io.moezoo.translators.vision.GrayscaleImageClassificationTranslatorFactory`,"
                        + " option `hasParameter=false`, and the translator arguments in"
                        + " `card.json`). Input: a 28x28 grayscale `ai.djl.modality.cv.Image`;"
                        + " other sizes and colour images are rejected with"
                        + " `InvalidImageException`. The per-block routing of the latest pass (which"
                        + " expert each patch went to) is `((VisionMoeTransformer)"
                        + " model.getBlock()).getLastRouting()`.\n\n");
        s.append("## Reproduce\n\n```\n").append(COMMAND).append("\n```\n");
        return s.toString();
    }
}
