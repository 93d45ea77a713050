package io.moezoo.recipes.reward;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.moezoo.models.reward.RewardBlockFactory;
import io.moezoo.models.reward.RewardModelSpec;
import io.moezoo.translators.reward.RewardInput;
import io.moezoo.translators.reward.RewardScore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-measures a reward model's held-out pairwise accuracy from a loaded model, through its
 * translator ({@code RewardInput → RewardScore}), on pairs rebuilt from the Brown corpus.
 */
public final class RewardEvaluator {

    private static final int BATCH = 64;

    /** Absolute tolerance of the re-evaluated metrics (two of 200 pairs may flip on near-ties). */
    public static final double TOLERANCE = 0.01;

    private RewardEvaluator() {}

    /**
     * Rebuilds the held-out pairs the cards report on.
     *
     * @param corpus the Brown JSON lines ({@code DataSets.brownJsonl()})
     * @param seed the card's seed
     * @return the held-out pairs, in the trainer's order
     * @throws IOException if the corpus cannot be read
     */
    public static List<RewardPair> heldOutPairs(Path corpus, long seed) throws IOException {
        return new PreferencePairBuilder(
                        RewardModelTraining.MAX_PROMPT_BYTES,
                        RewardModelTraining.MAX_RESPONSE_BYTES,
                        RewardModelTraining.PAIRS_PER_FILE)
                .build(BrownDocument.load(corpus), true, seed);
    }

    /**
     * The fixed subset of held-out pairs the artifact tests re-measure: the first pair of every
     * (file, dimension), 200 of the 1,200 held-out pairs for the shipped cards (every held-out file
     * and every dimension equally represented).
     *
     * @param heldOut the held-out pairs in the trainer's order
     * @return the subset
     */
    public static List<RewardPair> reevaluationSubset(List<RewardPair> heldOut) {
        List<RewardPair> subset = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (RewardPair p : heldOut) {
            if (seen.add(p.file() + "/" + p.dimension())) {
                subset.add(p);
            }
        }
        return subset;
    }

    /**
     * Measures an artifact on the re-evaluation subset and records the result in its {@code
     * card.json} (key {@code reevaluation}: the subset's description, metrics and tolerances), then
     * re-renders its {@code README.md}.
     *
     * @param dir the artifact directory (with {@code model.json} and {@code card.json})
     * @param heldOut all held-out pairs, in the trainer's order
     * @return the subset's metrics
     * @throws IOException if files cannot be read or written
     * @throws ModelNotFoundException if DJL finds no model
     * @throws MalformedModelException if the model files are invalid
     * @throws TranslateException if prediction fails
     */
    public static RewardEvaluation recordReevaluation(Path dir, List<RewardPair> heldOut)
            throws IOException,
                    ModelNotFoundException,
                    MalformedModelException,
                    TranslateException {
        List<RewardPair> subset = reevaluationSubset(heldOut);
        RewardEvaluation evaluation = evaluate(dir, subset);
        Path cardFile = dir.resolve("card.json");
        com.google.gson.Gson gson =
                new com.google.gson.GsonBuilder()
                        .setPrettyPrinting()
                        .disableHtmlEscaping()
                        .setObjectToNumberStrategy(com.google.gson.ToNumberPolicy.LONG_OR_DOUBLE)
                        .create();
        @SuppressWarnings("unchecked")
        Map<String, Object> card =
                gson.fromJson(
                        java.nio.file.Files.readString(
                                cardFile, java.nio.charset.StandardCharsets.UTF_8),
                        java.util.LinkedHashMap.class);
        Map<String, Object> block = new java.util.LinkedHashMap<>();
        block.put(
                "pairs",
                "the first held-out pair of every (file, dimension): "
                        + subset.size()
                        + " of "
                        + heldOut.size()
                        + " (RewardEvaluator.reevaluationSubset)");
        block.put("metrics", evaluation.metrics());
        Map<String, Double> tolerance = new java.util.LinkedHashMap<>();
        for (String k : evaluation.metrics().keySet()) {
            tolerance.put(k, TOLERANCE);
        }
        block.put("tolerance", tolerance);
        block.put("toleranceNote", TOLERANCE + " absolute");
        card.put("reevaluation", block);
        java.nio.file.Files.writeString(
                cardFile, gson.toJson(card) + "\n", java.nio.charset.StandardCharsets.UTF_8);
        RewardModelSpec spec = RewardModelSpec.read(dir.resolve("model.json"));
        java.nio.file.Files.writeString(
                dir.resolve("README.md"),
                ModelCard.markdown((String) card.get("artifactId"), spec, card),
                java.nio.charset.StandardCharsets.UTF_8);
        return evaluation;
    }

    /**
     * Command line: {@code SEED DIR...} re-measures each artifact directory on the re-evaluation
     * subset and records it in its card.
     *
     * @param args the seed and the artifact directories
     * @throws Exception if evaluation fails
     */
    public static void main(String[] args) throws Exception {
        List<RewardPair> heldOut =
                heldOutPairs(io.moezoo.recipes.data.DataSets.brownJsonl(), Long.parseLong(args[0]));
        for (int i = 1; i < args.length; i++) {
            System.out.println(
                    args[i]
                            + " "
                            + recordReevaluation(java.nio.file.Paths.get(args[i]), heldOut)
                                    .metrics());
        }
    }

    /**
     * Loads an artifact directory through DJL's {@code Criteria} with the arguments its spec
     * implies.
     *
     * @param dir the artifact directory
     * @return the model
     * @throws IOException if the files cannot be read
     * @throws ModelNotFoundException if DJL finds no model
     * @throws MalformedModelException if the model files are invalid
     */
    public static ZooModel<RewardInput, RewardScore> load(Path dir)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Map<String, String> arguments =
                LmRewardCard.isLmReward(dir)
                        ? LmRewardArtifact.arguments(dir.resolve("model.json"))
                        : RewardCards.arguments(RewardModelSpec.read(dir.resolve("model.json")));
        Criteria.Builder<RewardInput, RewardScore> builder =
                Criteria.builder()
                        .setTypes(RewardInput.class, RewardScore.class)
                        .optModelPath(dir)
                        .optEngine("PyTorch")
                        .optOption("hasParameter", "false")
                        .optArgument("blockFactory", new RewardBlockFactory())
                        .optTranslatorFactory(
                                new io.moezoo.translators.reward.RewardTranslatorFactory());
        for (Map.Entry<String, String> e : arguments.entrySet()) {
            if (!e.getKey().endsWith("Factory")) {
                builder.optArgument(e.getKey(), e.getValue());
            }
        }
        return builder.build().loadModel();
    }

    /**
     * Loads an artifact and evaluates it.
     *
     * @param dir the artifact directory
     * @param pairs the pairs
     * @return the evaluation
     * @throws IOException if the files cannot be read
     * @throws ModelNotFoundException if DJL finds no model
     * @throws MalformedModelException if the model files are invalid
     * @throws TranslateException if prediction fails
     */
    public static RewardEvaluation evaluate(Path dir, List<RewardPair> pairs)
            throws IOException,
                    ModelNotFoundException,
                    MalformedModelException,
                    TranslateException {
        try (ZooModel<RewardInput, RewardScore> model = load(dir)) {
            return evaluate(model, pairs);
        }
    }

    /**
     * Scores both responses of every pair and summarises the outcomes.
     *
     * @param model a loaded reward model
     * @param pairs the pairs
     * @return the evaluation ({@link RewardEvaluation})
     * @throws TranslateException if prediction fails
     */
    public static RewardEvaluation evaluate(
            ZooModel<RewardInput, RewardScore> model, List<RewardPair> pairs)
            throws TranslateException {
        boolean[] correct = new boolean[pairs.size()];
        String[] routed = new String[pairs.size()];
        boolean anyRouted = false;
        try (Predictor<RewardInput, RewardScore> predictor = model.newPredictor()) {
            for (int from = 0; from < pairs.size(); from += BATCH / 2) {
                int to = Math.min(pairs.size(), from + BATCH / 2);
                List<RewardInput> inputs = new ArrayList<>();
                for (RewardPair p : pairs.subList(from, to)) {
                    inputs.add(new RewardInput(p.prompt(), p.chosen()));
                    inputs.add(new RewardInput(p.prompt(), p.rejected()));
                }
                List<RewardScore> scores = predictor.batchPredict(inputs);
                for (int i = from; i < to; i++) {
                    RewardScore chosen = scores.get(2 * (i - from));
                    correct[i] = chosen.score() > scores.get(2 * (i - from) + 1).score();
                    routed[i] = chosen.category();
                    anyRouted |= chosen.category() != null;
                }
            }
        }
        return RewardEvaluation.of(pairs, correct, anyRouted ? routed : null);
    }
}
