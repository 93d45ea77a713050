package io.moezoo.recipes.reward;

import io.moezoo.models.reward.RewardModelSpec;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import io.moezoo.zoo.repository.ArtifactPublisher;
import io.moezoo.zoo.repository.ZooRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the n-gram baseline ({@link NgramRewardBaseline}) to the shipped reward cards without
 * retraining the reward models: measures both its variants on each card's held-out pairs (rebuilt
 * from the card's seed), stores them under {@code baselines.kneser-ney-trigram} and {@code
 * baselines.kneser-ney-trigram-per-token} with the {@code ngramBaseline} description, re-renders
 * {@code README.md} and re-publishes {@code metadata.json}.
 *
 * <p>Run: {@code java ... NgramRewardReevaluation [CORPUS_JSONL] [REPOSITORY_ROOT]} from the
 * project root.
 */
public final class NgramRewardReevaluation {

    /** The reward artifacts. */
    static final List<String> IDS = List.of("armorm-brown");

    private static final String VERSION = "0.1.0";

    /** Reads and writes cards keeping integers integers (seed, parameter counts). */
    private static final com.google.gson.Gson GSON =
            new com.google.gson.GsonBuilder()
                    .setPrettyPrinting()
                    .disableHtmlEscaping()
                    .setObjectToNumberStrategy(com.google.gson.ToNumberPolicy.LONG_OR_DOUBLE)
                    .create();

    private NgramRewardReevaluation() {}

    /**
     * Measures the baseline and rewrites the cards.
     *
     * @param corpus the Brown corpus as JSON lines
     * @param root the repository root
     * @return the baselines' metrics (by key) per artifact
     * @throws IOException if the data or the cards cannot be read or written
     */
    public static Map<String, Map<String, Map<String, Double>>> reevaluate(Path corpus, Path root)
            throws IOException {
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        List<BrownDocument> docs = BrownDocument.load(corpus);
        try (NgramRewardBaseline baseline = NgramRewardBaseline.train(docs)) {
            for (String id : IDS) {
                ZooCatalog.Entry entry = ZooCatalog.entry(id);
                Path dir =
                        root.resolve(
                                        ZooRepository.metadataDirectory(
                                                entry.application(), MoeModelZoo.GROUP_ID, id))
                                .resolve(VERSION);
                Path cardFile = dir.resolve("card.json");
                @SuppressWarnings("unchecked")
                Map<String, Object> card =
                        GSON.fromJson(
                                Files.readString(cardFile, StandardCharsets.UTF_8),
                                LinkedHashMap.class);
                long seed = ((Number) card.get("seed")).longValue();
                List<RewardPair> heldOut = RewardEvaluator.heldOutPairs(corpus, seed);
                Map<String, Map<String, Double>> metrics;
                try {
                    metrics = baseline.evaluateBoth(heldOut);
                } catch (io.moezoo.translators.reward.InvalidRewardInputException e) {
                    throw new IOException("A held-out pair cannot be scored: " + e.getMessage(), e);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> baselines = (Map<String, Object>) card.get("baselines");
                baselines.putAll(metrics);
                card.put("ngramBaseline", NgramRewardBaseline.DESCRIPTION);
                Files.writeString(cardFile, GSON.toJson(card) + "\n", StandardCharsets.UTF_8);
                RewardModelSpec spec = RewardModelSpec.read(dir.resolve("model.json"));
                Files.writeString(
                        dir.resolve("README.md"),
                        ModelCard.markdown(id, spec, card),
                        StandardCharsets.UTF_8);
                ArtifactPublisher.publish(
                        root, entry.application(), MoeModelZoo.GROUP_ID, id, VERSION);
                out.put(id, metrics);
            }
        }
        return out;
    }

    /**
     * Command line: {@code [CORPUS_JSONL] [REPOSITORY_ROOT]}.
     *
     * @param args the arguments
     * @throws Exception if the evaluation fails
     */
    public static void main(String[] args) throws Exception {
        Path corpus = args.length > 0 ? Paths.get(args[0]) : DataSets.brownJsonl();
        Path root =
                Paths.get(
                        args.length > 1
                                ? args[1]
                                : "zoo-weights/src/main/resources/io/moezoo/zoo/repository");
        System.out.println(reevaluate(corpus, root));
    }
}
