package io.moezoo.recipes.reward;

import ai.djl.Application;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Pair;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.language.DecoderBlockFactory;
import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.models.reward.LmArmoRewardSpec;
import io.moezoo.models.reward.LmDoubleLayerRewardModel;
import io.moezoo.models.reward.LmFeatureWindow;
import io.moezoo.models.reward.LmRewardSpec;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.recipes.language.BrownArtifacts;
import io.moezoo.recipes.reward.LmRewardTraining.Data;
import io.moezoo.recipes.reward.LmRewardTraining.HeadRecipe;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import io.moezoo.zoo.repository.ArtifactPublisher;
import io.moezoo.zoo.repository.ZooRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@code dmoerm-brown} 0.2.0 artifact: chooses the head recipe on the validation pairs,
 * trains it, measures the baselines on the held-out pairs, writes the self-contained artifact
 * (spec, the base model's spec, tokenizer and weights), its card and README, publishes it, and
 * measures the written artifact through its translator for the card.
 */
public final class LmRewardArtifact {

    /** The artifact id. */
    public static final String ID = "dmoerm-brown";

    /** The embedded repository's sources in a checkout (the working directory). */
    static final Path EMBEDDED_SOURCES =
            Path.of("zoo-weights", "src", "main", "resources").resolve(ZooRepository.EMBEDDED_ROOT);

    private LmRewardArtifact() {}

    /**
     * Command line: {@code [SEED [REPOSITORY]]}.
     *
     * @param args the seed (42) and the repository root (the embedded one)
     * @throws Exception if data is missing or training fails
     */
    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : RewardModelTraining.SEED;
        Path root = args.length > 1 ? Path.of(args[1]) : EMBEDDED_SOURCES;
        build(DataSets.brownJsonl(), root, seed);
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
        Path baseDir = baseDir(root);
        Path dir =
                versionDir(root, Application.NLP.TEXT_CLASSIFICATION, ID, LmRewardTraining.VERSION);
        Map<String, Object> card = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Data data = LmRewardTraining.data(manager, corpus, baseDir, null, seed);
            List<Map<String, Object>> tried = new ArrayList<>();
            HeadRecipe best = null;
            double bestAccuracy = -1;
            for (HeadRecipe r : LmRewardTraining.CANDIDATES) {
                try (NDManager scope = manager.newSubManager()) {
                    LmDoubleLayerRewardModel m =
                            LmRewardTraining.trainHeads(scope, data, r, baseDir, seed);
                    Map<String, Double> v =
                            LmRewardStages.evaluate(
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
            LmDoubleLayerRewardModel model =
                    LmRewardTraining.trainHeads(manager, data, best, baseDir, seed);
            Map<String, Object> baselines = baselines(corpus, data);
            baselines.put("dmoerm-brown-0.1.0", Map.of("accuracy", 0.638));
            writeFiles(dir, baseDir, model.getSpec().toJson(), model);
            card.putAll(
                    cardHead(
                            ID,
                            "Brown DMoERM reward model",
                            "DMoERM-style double-layer MoE reward model over the frozen brown-moe"
                                    + " language model: outer top-1 router over Brown genre"
                                    + " categories, inner mixture of capability experts reading the"
                                    + " response's log-likelihood statistics (with and without the"
                                    + " prompt), aggregated by an MLP; trained on preference pairs"
                                    + " built from the Brown corpus",
                            seed));
            card.put("chosenRecipe", best.toString());
            card.put("recipesTried", tried);
            card.put("baselines", baselines);
            Map<String, Long> parameters = parameters(model);
            card.put("totalParameters", parameters.get("total"));
            card.put("activatedParameters", parameters.get("activatedPerInput"));
            card.put("parameters", parameters);
            card.put("pairs", pairs(data));
            card.put(
                    "arguments",
                    arguments(
                            model.getSpec(),
                            model.getSpec().objectives(),
                            model.getSpec().categories()));
            card.put("trainingSeconds", Math.round((System.nanoTime() - start) / 1e9));
            measureAndPublish(root, ID, dir, card, LmRewardCard.DMOERM, data);
        }
    }

    /** The card's first fields: identity, version, seed and the command that rebuilds it. */
    static Map<String, Object> cardHead(String id, String name, String description, long seed) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("artifactId", id);
        card.put("version", LmRewardTraining.VERSION);
        card.put("application", "nlp/text_classification");
        card.put("name", name);
        card.put("description", description);
        card.put("seed", seed);
        card.put("command", ZooCatalog.retrainCommand(id));
        return card;
    }

    /** The pair counts of the three splits. */
    static Map<String, Integer> pairs(Data data) {
        Map<String, Integer> pairs = new LinkedHashMap<>();
        pairs.put("train", data.train().size());
        pairs.put("validation", data.validation().size());
        pairs.put("heldOut", data.heldOut().size());
        return pairs;
    }

    /**
     * The baselines every LM reward card reports on the held-out pairs: the dense twin (one
     * logistic score over the same statistics, also on validation), the base model's mean
     * log-probability and the Kneser-Ney trigram.
     */
    static Map<String, Object> baselines(Path corpus, Data data) throws Exception {
        float[][] standardization = Standardization.of(data.trainFeatures().statistics());
        PairwiseLogistic dense =
                PairwiseLogistic.fit(data.trainFeatures().statistics(), standardization);
        Map<String, Object> baselines = new LinkedHashMap<>();
        baselines.put(
                "dense-logistic", dense.evaluate(data.heldOutFeatures(), data.heldOut()).metrics());
        baselines.put(
                "dense-logistic-validation",
                dense.evaluate(data.validationFeatures(), data.validation()).metrics());
        baselines.put(
                "brown-moe-mean-logprob",
                meanLogProb(data.heldOutFeatures(), data.heldOut()).metrics());
        try (NgramRewardBaseline ngram = NgramRewardBaseline.train(BrownDocument.load(corpus))) {
            baselines.putAll(ngram.evaluateBoth(data.heldOut()));
        }
        return baselines;
    }

    /**
     * Writes the card, publishes the artifact, measures the written artifact through its translator
     * on the held-out pairs and writes the card again with those metrics.
     */
    static void measureAndPublish(
            Path root,
            String id,
            Path dir,
            Map<String, Object> card,
            LmRewardCard.Text text,
            Data data)
            throws Exception {
        card.put("metrics", Map.of());
        LmRewardCard.write(dir, card, text);
        publish(root, id);
        RewardEvaluation measured = RewardEvaluator.evaluate(dir, data.heldOut());
        card.put("metrics", measured.metrics());
        Map<String, Double> tolerance = new LinkedHashMap<>();
        for (String k : measured.metrics().keySet()) {
            tolerance.put(k, 0.005);
        }
        card.put("tolerance", tolerance);
        LmRewardCard.write(dir, card, text);
        publish(root, id);
        System.out.printf(
                Locale.ROOT,
                "%s %s held-out: %s%n",
                id,
                card.get("chosenRecipe"),
                measured.metrics());
    }

    /** The zero-training baseline: the mean log-probability of the response given the prompt. */
    static RewardEvaluation meanLogProb(LmFeatureCache cache, List<RewardPair> pairs) {
        boolean[] correct = new boolean[pairs.size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = cache.statistics()[2 * i][0] > cache.statistics()[2 * i + 1][0];
        }
        return RewardEvaluation.of(pairs, correct, null);
    }

    /**
     * Writes a self-contained artifact: the spec, the base model's spec and tokenizer, and every
     * weight (the frozen language model's included) in F16.
     */
    static void writeFiles(Path dir, Path baseDir, String specJson, ai.djl.nn.Block model)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model.json"), specJson + "\n", StandardCharsets.UTF_8);
        Files.copy(
                baseDir.resolve(DecoderBlockFactory.SPEC_FILE),
                dir.resolve(LmRewardSpec.BASE_FILE),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                baseDir.resolve("tokenizer.json"),
                dir.resolve("tokenizer.json"),
                StandardCopyOption.REPLACE_EXISTING);
        ParameterFile.save(model, dir.resolve("model.safetensors"), TensorDType.F16);
    }

    /**
     * The Criteria arguments of a reward model over a language model.
     *
     * @param window the lengths and the pad (start) token
     * @param objectives the objective names
     * @param categories the router's categories (empty for none)
     * @return block and translator factories, lengths, pad id, names
     */
    public static Map<String, String> arguments(
            LmFeatureWindow window, List<String> objectives, List<String> categories) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("blockFactory", io.moezoo.models.reward.RewardBlockFactory.class.getName());
        args.put(
                "translatorFactory",
                io.moezoo.translators.reward.RewardTranslatorFactory.class.getName());
        args.put("maxPromptTokens", Integer.toString(window.maxPromptTokens()));
        args.put("maxResponseTokens", Integer.toString(window.maxResponseTokens()));
        args.put("padToken", Long.toString(window.startToken()));
        args.put("objectives", String.join(",", objectives));
        if (!categories.isEmpty()) {
            args.put("categories", String.join(",", categories));
        }
        return args;
    }

    /**
     * The Criteria arguments of an artifact directory holding a reward model over a language model.
     *
     * @param json its model.json
     * @return the arguments
     * @throws IOException if the spec cannot be read
     */
    static Map<String, String> arguments(Path json) throws IOException {
        if (LmArmoRewardSpec.ARMORM_LM.equals(
                io.moezoo.models.reward.RewardBlockFactory.architecture(json))) {
            LmArmoRewardSpec spec = LmArmoRewardSpec.read(json);
            return arguments(spec, spec.objectives(), List.of());
        }
        LmRewardSpec spec = LmRewardSpec.read(json);
        return arguments(spec, spec.objectives(), spec.categories());
    }

    private static Map<String, Long> parameters(LmDoubleLayerRewardModel model) {
        long total = 0;
        for (Pair<String, ai.djl.nn.Parameter> p : model.getParameters()) {
            total += p.getValue().getArray().size();
        }
        long frozen = 0;
        for (Pair<String, ai.djl.nn.Parameter> p : model.getFeatures().getParameters()) {
            frozen += p.getValue().getArray().size();
        }
        LmRewardSpec spec = model.getSpec();
        long g = spec.categories().size();
        long router = g * model.getFeatures().getLanguageModel().getSpec().hiddenSize() + g;
        long standardization = 2L * LanguageModelFeatures.COUNT;
        long perCategory = (total - frozen - router - standardization) / g;
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("total", total);
        out.put("frozenLanguageModel", frozen);
        out.put("trainedHeads", total - frozen - standardization);
        out.put("activatedPerInput", frozen + standardization + router + perCategory);
        return out;
    }

    /**
     * The base model's artifact directory (brown-moe at {@link BrownArtifacts#VERSION}).
     *
     * @param root the repository root
     * @return the directory
     */
    static Path baseDir(Path root) {
        return versionDir(
                root, Application.NLP.TEXT_GENERATION, "brown-moe", BrownArtifacts.VERSION);
    }

    static Path versionDir(Path root, Application application, String id, String version) {
        return root.resolve(ZooRepository.metadataDirectory(application, MoeModelZoo.GROUP_ID, id))
                .resolve(version);
    }

    static void publish(Path root, String id) throws IOException {
        ArtifactPublisher.publish(
                root,
                Application.NLP.TEXT_CLASSIFICATION,
                MoeModelZoo.GROUP_ID,
                id,
                LmRewardTraining.VERSION);
    }
}
