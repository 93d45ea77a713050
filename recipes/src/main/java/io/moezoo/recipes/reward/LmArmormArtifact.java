package io.moezoo.recipes.reward;

import ai.djl.Application;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Pair;
import io.moezoo.models.reward.LmArmoRewardModel;
import io.moezoo.models.reward.LmArmoRewardSpec;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.recipes.language.BrownLanguageModels;
import io.moezoo.recipes.reward.LmRewardTraining.Data;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Builds the {@code armorm-brown} 0.2.0 artifact: an {@link LmArmoRewardModel} over the frozen
 * {@code brown-moe} 0.2.0, on the pairs, splits and cached features of {@code dmoerm-brown} ({@link
 * LmRewardTraining#data}). The ridge penalties and the gating recipe are chosen on the validation
 * pairs; the chosen model is measured once on the held-out pairs, beside the same baselines as
 * {@code dmoerm-brown}'s card, and written as a self-contained artifact with its card.
 */
public final class LmArmormArtifact {

    /** The artifact id. */
    public static final String ID = "armorm-brown";

    /** One gating recipe. */
    record GatingRecipe(int hidden, int layers, float temperature, int steps, float learningRate) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "gating %d layers x %d, t=%s, %d steps, lr %.0e",
                    layers,
                    hidden,
                    temperature,
                    steps,
                    learningRate);
        }
    }

    /** The gating recipes tried on the validation pairs (the first is armorm-brown 0.1.0's). */
    static final List<GatingRecipe> CANDIDATES =
            List.of(
                    new GatingRecipe(64, 3, 10f, 1000, 1e-3f),
                    new GatingRecipe(64, 1, 1f, 1000, 1e-3f),
                    new GatingRecipe(32, 2, 1f, 1000, 1e-3f),
                    new GatingRecipe(64, 2, 10f, 2000, 1e-3f),
                    new GatingRecipe(128, 3, 10f, 2000, 3e-4f));

    private LmArmormArtifact() {}

    /**
     * Command line: {@code [SEED [REPOSITORY]]}.
     *
     * @param args the seed (42) and the repository root (the embedded one)
     * @throws Exception if data is missing or training fails
     */
    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : RewardModelTraining.SEED;
        Path root = args.length > 1 ? Path.of(args[1]) : LmRewardArtifact.EMBEDDED_SOURCES;
        build(DataSets.brownJsonl(), root, seed);
    }

    static LmArmoRewardSpec spec(GatingRecipe recipe) {
        return new LmArmoRewardSpec(
                LmArmoRewardSpec.ARMORM_LM,
                LmRewardTraining.BASE_MODEL,
                RewardModelTraining.objectiveNames(),
                recipe.hidden(),
                recipe.layers(),
                recipe.temperature(),
                LmRewardTraining.MAX_PROMPT_TOKENS,
                LmRewardTraining.MAX_RESPONSE_TOKENS,
                LmRewardTraining.BOUNDARY_TOKENS,
                LmRewardTraining.TAIL_TOKENS,
                BrownLanguageModels.endOfText());
    }

    /** A model with the base language model's weights loaded and fresh heads. */
    static LmArmoRewardModel newModel(
            NDManager manager, LmArmoRewardSpec spec, Path baseDir, long seed) throws IOException {
        LmArmoRewardModel model = new LmArmoRewardModel(spec, LmRewardTraining.baseSpec(baseDir));
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        Shape s = new Shape(1, spec.sequenceLength());
        model.initialize(manager, DataType.FLOAT32, s, s, s);
        LmRewardTraining.loadBase(model.getFeatures(), baseDir);
        return model;
    }

    /** Trains both stages of one recipe on the training pairs. */
    static LmArmoRewardModel train(
            NDManager manager,
            Data data,
            GatingRecipe recipe,
            Path baseDir,
            long seed,
            Map<String, Double> alphas)
            throws IOException {
        LmArmoRewardModel model = newModel(manager, spec(recipe), baseDir, seed);
        float[][] standardization = Standardization.of(data.trainFeatures().statistics());
        model.setStandardization(standardization[0], standardization[1]);
        alphas.putAll(
                LmArmormStages.fitRegression(
                        manager,
                        model,
                        data.trainFeatures(),
                        data.train(),
                        data.validationFeatures(),
                        data.validation(),
                        standardization));
        float loss =
                LmArmormStages.trainGating(
                        manager,
                        model,
                        data.trainFeatures(),
                        data.train(),
                        recipe.steps(),
                        recipe.learningRate(),
                        new Random(seed));
        System.err.printf(Locale.ROOT, "%s: final gating loss %.3f%n", recipe, loss);
        return model;
    }

    /**
     * Trains and writes the artifact.
     *
     * @param corpus the Brown JSON lines
     * @param root the repository root (must hold brown-moe 0.2.0)
     * @param seed the seed
     * @throws Exception if data is missing or training fails
     */
    public static void build(Path corpus, Path root, long seed) throws Exception {
        long start = System.nanoTime();
        Path baseDir = LmRewardArtifact.baseDir(root);
        Path dir =
                LmRewardArtifact.versionDir(
                        root, Application.NLP.TEXT_CLASSIFICATION, ID, LmRewardTraining.VERSION);
        try (NDManager manager = NDManager.newBaseManager()) {
            Data data = LmRewardTraining.data(manager, corpus, baseDir, null, seed);
            List<Map<String, Object>> tried = new ArrayList<>();
            GatingRecipe best = null;
            double bestAccuracy = -1;
            Map<String, Double> alphas = new LinkedHashMap<>();
            for (GatingRecipe r : CANDIDATES) {
                try (NDManager scope = manager.newSubManager()) {
                    LmArmoRewardModel m = train(scope, data, r, baseDir, seed, alphas);
                    Map<String, Double> v =
                            LmArmormStages.evaluate(
                                            scope, m, data.validationFeatures(), data.validation())
                                    .metrics();
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("recipe", r.toString());
                    entry.put("validation", v);
                    tried.add(entry);
                    System.out.printf(Locale.ROOT, "%s: validation %.4f%n", r, v.get("accuracy"));
                    if (v.get("accuracy") > bestAccuracy) {
                        bestAccuracy = v.get("accuracy");
                        best = r;
                    }
                }
            }
            LmArmoRewardModel model = train(manager, data, best, baseDir, seed, alphas);
            LmRewardArtifact.writeFiles(dir, baseDir, model.getSpec().toJson(), model);
            Map<String, Object> card =
                    LmRewardArtifact.cardHead(
                            ID,
                            "Brown ArmoRM reward model",
                            "ArmoRM-style reward model over the frozen brown-moe language model:"
                                    + " per-objective ridge regression on the response's"
                                    + " log-likelihood statistics (with and without the prompt),"
                                    + " mixed by a softmax gating network over the prompt's hidden"
                                    + " state; trained on preference pairs built from the Brown"
                                    + " corpus",
                            seed);
            card.put("chosenRecipe", best.toString());
            card.put("ridgeAlphas", alphas);
            card.put("recipesTried", tried);
            Map<String, Object> baselines = LmRewardArtifact.baselines(corpus, data);
            baselines.put("armorm-brown-0.1.0", Map.of("accuracy", 0.575));
            card.put("baselines", baselines);
            Map<String, Long> parameters = parameters(model);
            card.put("totalParameters", parameters.get("total"));
            card.put("activatedParameters", parameters.get("total"));
            card.put("parameters", parameters);
            card.put("pairs", LmRewardArtifact.pairs(data));
            card.put(
                    "arguments",
                    LmRewardArtifact.arguments(
                            model.getSpec(), model.getSpec().objectives(), List.of()));
            card.put("trainingSeconds", Math.round((System.nanoTime() - start) / 1e9));
            LmRewardArtifact.measureAndPublish(root, ID, dir, card, LmRewardCard.ARMORM, data);
        }
    }

    private static Map<String, Long> parameters(LmArmoRewardModel model) {
        long total = 0;
        for (Pair<String, ai.djl.nn.Parameter> p : model.getParameters()) {
            total += p.getValue().getArray().size();
        }
        long frozen = 0;
        for (Pair<String, ai.djl.nn.Parameter> p : model.getFeatures().getParameters()) {
            frozen += p.getValue().getArray().size();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("frozenLanguageModel", frozen);
        out.put("trainedHeads", total - frozen);
        return out;
    }
}
