package io.moezoo.recipes.vision;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.recipes.ZooBuilder;
import io.moezoo.zoo.repository.ZooRepository;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * The vision family's classical baseline: trains {@link FashionCnn}, a CNN of about the V-MoE's
 * size, with the V-MoE's own recipe ({@link VisionMoeTraining#recipe()}: the same 55,000/5,000
 * seeded split of the official training images, the same augmentation, AdamW with warm-up and
 * cosine decay, batch, learning rate, weight decay and epochs), measures it on the official 10,000
 * test images and records the result in the {@code vit-moe-fashion-mnist} card's {@code baselines}
 * and README. The CNN's weights are not shipped: like the dense ViT's, its accuracy is a recorded
 * training result.
 */
public final class CnnBaseline {

    /** The key of the CNN in the card's {@code baselines}. */
    public static final String KEY = FashionCnn.NAME;

    /** The command that reproduces the entry (from the repository root). */
    public static final String COMMAND = "tools/cnn-baseline.sh 42";

    private static final String ROW_PREFIX = "| " + FashionCnn.NAME + " ";
    private static final String PARAGRAPH_PREFIX = "The CNN baseline (`" + FashionCnn.NAME + "`)";

    private CnnBaseline() {}

    /**
     * The result of one training run.
     *
     * @param testAccuracy accuracy on the official 10,000 test images (F32 weights)
     * @param validationAccuracy accuracy on the held-out training images after the last epoch
     * @param seconds training wall clock, including the per-epoch validation passes
     * @param recipe the recipe
     * @param seed the seed
     */
    public record Result(
            double testAccuracy,
            double validationAccuracy,
            double seconds,
            TrainingRecipe recipe,
            long seed) {

        /**
         * The card's {@code baselines} entry.
         *
         * @return a JSON object
         */
        public JsonObject toJsonObject() {
            JsonObject o = new JsonObject();
            o.addProperty(
                    "description",
                    "same-size CNN: 3x3 convs 32-64-128 (BatchNorm, ReLU, 2x2 max pool), dense"
                            + " 1152-128-10; trained with the V-MoE's recipe, split, augmentation"
                            + " and seed; recorded training result (F32 weights, not shipped)");
            o.addProperty("test_accuracy", round(testAccuracy));
            o.addProperty("validation_accuracy", round(validationAccuracy));
            o.addProperty("totalParameters", FashionCnn.PARAMETERS);
            o.addProperty("epochs", recipe.epochs());
            o.addProperty("trainingSeconds", Math.round(seconds));
            o.addProperty("secondsPerEpoch", Math.round(seconds / recipe.epochs() * 10) / 10.0);
            o.addProperty("seed", seed);
            o.addProperty("recipeDifferences", differences(recipe));
            o.addProperty("command", COMMAND);
            return o;
        }
    }

    /**
     * How a recipe differs from the V-MoE's.
     *
     * @param recipe the CNN's recipe
     * @return a sentence
     */
    static String differences(TrainingRecipe recipe) {
        TrainingRecipe vit = VisionMoeTraining.recipe();
        if (recipe.equals(vit)) {
            return "none (the CNN has no router, hence no auxiliary losses)";
        }
        return "the V-MoE's recipe "
                + vit.toJsonObject()
                + " changed to "
                + recipe.toJsonObject()
                + " (the CNN has no router, hence no auxiliary losses)";
    }

    /**
     * Trains the CNN and measures it on the official test set.
     *
     * @param recipe the recipe
     * @param seed the seed
     * @param log receives progress lines
     * @return the result
     * @throws IOException if the data cannot be read
     */
    public static Result train(TrainingRecipe recipe, long seed, PrintStream log)
            throws IOException {
        FashionMnist train = FashionMnist.load(FashionMnist.Split.TRAIN);
        FashionMnist test = FashionMnist.load(FashionMnist.Split.TEST);
        VisionTrainingLoop.Input input =
                new VisionTrainingLoop.Input(
                        FashionCnn.NAME,
                        1,
                        FashionMnist.SIDE,
                        VisionMoeTraining.MEAN,
                        VisionMoeTraining.STD);
        long started = System.nanoTime();
        try (Model model = Model.newInstance(FashionCnn.NAME, "PyTorch")) {
            model.setBlock(FashionCnn.build(FashionMnist.CLASS_NAMES.size()));
            double validation = VisionTrainingLoop.fit(model, input, recipe, train, seed, log);
            double seconds = (System.nanoTime() - started) / 1e9;
            double accuracy = accuracy(model.getBlock(), model.getNDManager(), test);
            log.printf(Locale.ROOT, "%s test accuracy %.4f%n", FashionCnn.NAME, accuracy);
            return new Result(accuracy, validation, seconds, recipe, seed);
        }
    }

    /**
     * Accuracy of a trained classifier block (inference mode) on a data set, normalised like the
     * V-MoE's input.
     *
     * @param block the block
     * @param manager a manager of the block's device
     * @param data the data
     * @return the fraction classified correctly
     */
    public static double accuracy(Block block, NDManager manager, FashionMnist data) {
        int side = FashionMnist.SIDE;
        int area = side * side;
        int correct = 0;
        int batch = 500;
        for (int start = 0; start < data.count(); start += batch) {
            int n = Math.min(batch, data.count() - start);
            try (NDManager scope = manager.newSubManager()) {
                float[] x = new float[n * area];
                for (int b = 0; b < n; b++) {
                    byte[] p = data.pixels(start + b);
                    for (int i = 0; i < area; i++) {
                        x[b * area + i] =
                                ((p[i] & 0xFF) / 255f - VisionMoeTraining.MEAN)
                                        / VisionMoeTraining.STD;
                    }
                }
                NDArray logits =
                        block.forward(
                                        new ParameterStore(scope, false),
                                        new NDList(scope.create(x, new Shape(n, 1, side, side))),
                                        false)
                                .head();
                long[] predicted = logits.argMax(1).toLongArray();
                for (int b = 0; b < n; b++) {
                    if (predicted[b] == data.label(start + b)) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / data.count();
    }

    /**
     * Writes a result into the artifact's {@code card.json} ({@code baselines.cnn-fashion-mnist})
     * and {@code README.md} (a row of the results table and a paragraph), replacing an earlier
     * entry, and refreshes the artifact's sha1 hashes in {@code metadata.json} when the artifact
     * sits in a zoo repository tree.
     *
     * @param artifactDir the artifact directory
     * @param entry the baseline entry ({@link Result#toJsonObject()})
     * @throws IOException if a file cannot be read or written
     */
    public static void writeCard(Path artifactDir, JsonObject entry) throws IOException {
        ModelCard.updateCardJson(
                artifactDir,
                card -> {
                    JsonObject baselines =
                            card.has("baselines")
                                    ? card.getAsJsonObject("baselines")
                                    : new JsonObject();
                    baselines.add(KEY, entry);
                    card.add("baselines", baselines);
                });
        Path readmeFile = artifactDir.resolve("README.md");
        Files.writeString(
                readmeFile,
                withReadme(Files.readString(readmeFile, StandardCharsets.UTF_8), entry),
                StandardCharsets.UTF_8);
        publishIfInZoo(artifactDir);
    }

    /**
     * Refreshes the artifact's sha1 hashes in {@code metadata.json} when the artifact sits in a zoo
     * repository tree (nothing otherwise).
     *
     * @param artifactDir the artifact directory
     * @throws IOException if the metadata cannot be rewritten
     */
    static void publishIfInZoo(Path artifactDir) throws IOException {
        Path root = artifactDir.toAbsolutePath().normalize();
        while (root != null && !root.endsWith(Paths.get(ZooRepository.EMBEDDED_ROOT))) {
            root = root.getParent();
        }
        if (root != null) {
            ZooBuilder.publish(root, VisionMoeTraining.ARTIFACT_ID);
        }
    }

    /**
     * The README with the CNN's row after the results table's last row and its paragraph after the
     * table, any earlier CNN row and paragraph removed.
     *
     * @param readme the README text
     * @param entry the baseline entry
     * @return the new README text
     */
    static String withReadme(String readme, JsonObject entry) {
        String[] lines = readme.split("\n", -1);
        StringBuilder out = new StringBuilder();
        boolean inResults = false;
        boolean inTable = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith(ROW_PREFIX) || line.startsWith(PARAGRAPH_PREFIX)) {
                if (line.startsWith(PARAGRAPH_PREFIX)
                        && i + 1 < lines.length
                        && lines[i + 1].isEmpty()) {
                    i++;
                }
                continue;
            }
            if (line.startsWith("## Results")) {
                inResults = true;
            }
            if (inResults && line.startsWith("|")) {
                inTable = true;
            } else if (inResults && inTable) {
                out.append(readmeRow(entry)).append('\n');
                out.append('\n').append(readmeParagraph(entry)).append('\n');
                inResults = false;
                inTable = false;
            }
            out.append(line);
            if (i + 1 < lines.length) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The CNN's row of the card's results table.
     *
     * @param entry the baseline entry
     * @return a Markdown table row
     */
    static String readmeRow(JsonObject entry) {
        return String.format(
                Locale.ROOT,
                "%s(classical baseline, recorded, not shipped) | %,d | %,d | %.4f | %.4f |",
                ROW_PREFIX,
                entry.get("totalParameters").getAsLong(),
                entry.get("totalParameters").getAsLong(),
                entry.get("validation_accuracy").getAsDouble(),
                entry.get("test_accuracy").getAsDouble());
    }

    /**
     * The paragraph that explains the CNN's row.
     *
     * @param entry the baseline entry
     * @return a Markdown paragraph (one line)
     */
    static String readmeParagraph(JsonObject entry) {
        return String.format(
                Locale.ROOT,
                "%s is the family's classical baseline: 3x3 convolutions with 32, 64 and 128"
                        + " channels (no bias), each followed by BatchNorm, ReLU and 2x2 max pooling"
                        + " (28 → 14 → 7 → 3), then a dense layer 1,152 → 128 with ReLU and a linear"
                        + " head to 10 logits: %,d trained parameters, %.1f%% more than this"
                        + " model."
                        + " It is trained by `io.moezoo.recipes.vision.CnnBaseline` with this"
                        + " model's training loop and recipe: the same split, data order and"
                        + " augmentation draws, optimiser, schedule, seed and %d epochs (%d s,"
                        + " %.1f s per epoch on a shared 2-core CPU with one PyTorch thread,"
                        + " including the per-epoch validation pass); differences from this"
                        + " model's recipe: %s. Its accuracies are a recorded training result,"
                        + " measured with the F32 weights at the end of training (the weights"
                        + " are not shipped, so the tests do not re-measure them); reproduce"
                        + " with `%s`.",
                PARAGRAPH_PREFIX,
                entry.get("totalParameters").getAsLong(),
                100.0
                        * (entry.get("totalParameters").getAsLong()
                                - VisionMoeTraining.moeSpec().totalParameters())
                        / VisionMoeTraining.moeSpec().totalParameters(),
                entry.get("epochs").getAsInt(),
                entry.get("trainingSeconds").getAsLong(),
                entry.get("secondsPerEpoch").getAsDouble(),
                entry.get("recipeDifferences").getAsString(),
                entry.get("command").getAsString());
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    /**
     * Command line: {@code [SEED] [KEY=VALUE...] [--card ARTIFACT_DIR | --no-card]} trains the CNN
     * with {@link VisionMoeTraining#recipe()} changed by the given fields ({@link
     * VisionMoeTraining#recipe(TrainingRecipe, String)}), writes {@code
     * target/vision/cnn-fashion-mnist/result.json}, and records the result in the artifact's card
     * (by default the zoo's {@code vit-moe-fashion-mnist}); {@code --from RESULT_JSON} records an
     * earlier result without training.
     *
     * @param args the arguments
     * @throws IOException if the data cannot be read or a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        long seed = 42L;
        TrainingRecipe recipe = VisionMoeTraining.recipe();
        Path card = Paths.get(VisionMoeTraining.ARTIFACT_PATH);
        Path from = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--card")) {
                card = Paths.get(args[++i]);
            } else if (args[i].equals("--no-card")) {
                card = null;
            } else if (args[i].equals("--from")) {
                from = Paths.get(args[++i]);
            } else if (args[i].contains("=")) {
                recipe = VisionMoeTraining.recipe(recipe, args[i]);
            } else {
                seed = Long.parseLong(args[i]);
            }
        }
        JsonObject entry;
        if (from != null) {
            entry = JsonParser.parseString(Files.readString(from)).getAsJsonObject();
        } else {
            entry = train(recipe, seed, System.err).toJsonObject();
            Path out = Paths.get("target", "vision", FashionCnn.NAME, "result.json");
            Files.createDirectories(out.getParent());
            Files.writeString(
                    out,
                    new GsonBuilder().setPrettyPrinting().create().toJson(entry) + "\n",
                    StandardCharsets.UTF_8);
        }
        if (card != null) {
            writeCard(card, entry);
        }
        System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(entry));
    }
}
