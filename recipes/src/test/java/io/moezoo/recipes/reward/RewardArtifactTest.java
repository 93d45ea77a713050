package io.moezoo.recipes.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.translators.reward.InvalidRewardInputException;
import io.moezoo.translators.reward.PreferencePair;
import io.moezoo.translators.reward.PreferenceProbability;
import io.moezoo.translators.reward.RewardInput;
import io.moezoo.translators.reward.RewardScore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The shipped reward-model artifacts, loaded through DJL's Criteria as a user would. */
class RewardArtifactTest {

    private static final Path ROOT =
            Paths.get(
                    "../zoo-weights/src/main/resources/io/moezoo/zoo/repository/model/nlp/text_classification/io/moezoo");
    private static final List<String> IDS = List.of("dmoerm-brown", "armorm-brown");

    /** The version directory metadata.json lists (one version per artifact). */
    private static Path dir(String id) {
        try {
            String version =
                    JsonParser.parseString(
                                    Files.readString(
                                            ROOT.resolve(id).resolve("metadata.json"),
                                            StandardCharsets.UTF_8))
                            .getAsJsonObject()
                            .getAsJsonArray("artifacts")
                            .get(0)
                            .getAsJsonObject()
                            .get("version")
                            .getAsString();
            return ROOT.resolve(id).resolve(version);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonObject card(String id) throws Exception {
        return JsonParser.parseString(
                        Files.readString(dir(id).resolve("card.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    static <I, O> ZooModel<I, O> load(String id, Class<I> in, Class<O> out) throws Exception {
        Criteria.Builder<I, O> builder =
                Criteria.builder()
                        .setTypes(in, out)
                        .optModelPath(dir(id))
                        .optEngine("PyTorch")
                        .optOption("hasParameter", "false");
        for (Map.Entry<String, com.google.gson.JsonElement> e :
                card(id).getAsJsonObject("arguments").entrySet()) {
            builder.optArgument(e.getKey(), e.getValue().getAsString());
        }
        return builder.build().loadModel();
    }

    @Test
    void artifactsReproduceTheirCardMetricsOnTheHeldOutPairs() throws Exception {
        for (String id : IDS) {
            JsonObject card = card(id);
            List<RewardPair> pairs =
                    RewardEvaluator.heldOutPairs(
                            DataSets.brownJsonl(), card.get("seed").getAsLong());
            RewardEvaluation measured;
            try (ZooModel<RewardInput, RewardScore> model =
                    load(id, RewardInput.class, RewardScore.class)) {
                measured = RewardEvaluator.evaluate(model, pairs);
            }
            JsonObject metrics = card.getAsJsonObject("metrics");
            JsonObject tolerance = card.getAsJsonObject("tolerance");
            assertEquals(metrics.keySet(), measured.metrics().keySet(), id);
            for (String name : metrics.keySet()) {
                double want = metrics.get(name).getAsDouble();
                double got = measured.metrics().get(name);
                assertEquals(want, got, tolerance.get(name).getAsDouble(), id + " " + name);
            }
            assertTrue(measured.metrics().get("accuracy") > 0.5, id + " beats chance");
        }
    }

    /**
     * The cards' n-gram baselines ({@link NgramRewardBaseline}: no pair training, deterministic)
     * are re-measured exactly on all held-out pairs.
     */
    @Test
    void ngramBaselinesAreReproducedOnTheHeldOutPairs() throws Exception {
        try (NgramRewardBaseline baseline =
                NgramRewardBaseline.train(BrownDocument.load(DataSets.brownJsonl()))) {
            for (String id : IDS) {
                JsonObject card = card(id);
                List<RewardPair> pairs =
                        RewardEvaluator.heldOutPairs(
                                DataSets.brownJsonl(), card.get("seed").getAsLong());
                Map<String, Map<String, Double>> measured = baseline.evaluateBoth(pairs);
                JsonObject baselines = card.getAsJsonObject("baselines");
                assertEquals(
                        List.of(NgramRewardBaseline.KEY, NgramRewardBaseline.PER_TOKEN_KEY),
                        List.copyOf(measured.keySet()));
                for (Map.Entry<String, Map<String, Double>> e : measured.entrySet()) {
                    JsonObject want = baselines.getAsJsonObject(e.getKey());
                    assertEquals(want.keySet(), e.getValue().keySet(), id + " " + e.getKey());
                    for (String name : want.keySet()) {
                        assertEquals(
                                want.get(name).getAsDouble(),
                                e.getValue().get(name),
                                1e-12,
                                id + " " + e.getKey() + " " + name);
                    }
                }
            }
        }
    }

    /**
     * Issue 17's reward target: both reward models reach 0.80 held-out pairwise accuracy and beat
     * the baselines that never saw a preference pair (the card's metrics and n-gram baselines are
     * re-measured by the tests above; the language-model score is recorded by the recipe). The
     * dense twin on the same features is reported beside them, not asserted: it is within one or
     * two standard errors of both on 1,200 pairs.
     */
    @Test
    void rewardModelsReachTheTargetAboveTheirBaselines() throws Exception {
        for (String id : IDS) {
            JsonObject card = card(id);
            double accuracy = card.getAsJsonObject("metrics").get("accuracy").getAsDouble();
            assertTrue(accuracy >= 0.80, id + " accuracy " + accuracy);
            JsonObject baselines = card.getAsJsonObject("baselines");
            for (String b :
                    List.of(
                            NgramRewardBaseline.KEY,
                            NgramRewardBaseline.PER_TOKEN_KEY,
                            "brown-moe-mean-logprob")) {
                double baseline = baselines.getAsJsonObject(b).get("accuracy").getAsDouble();
                assertTrue(accuracy > baseline, id + " " + b + ": " + baseline + " vs " + accuracy);
            }
        }
    }

    /** The README's and the demo's examples prefer the fluent response. */
    @Test
    void readmeAndDemoExamplesPreferTheFluentResponse() throws Exception {
        List<PreferencePair> examples =
                List.of(
                        new PreferencePair(
                                "The committee met and",
                                " approved the budget.",
                                " budget approved the."),
                        new PreferencePair(
                                "The committee met on Friday and",
                                " approved the budget for the new school.",
                                " school the budget new approved for the."));
        for (String id : IDS) {
            try (ZooModel<PreferencePair, PreferenceProbability> m =
                            load(id, PreferencePair.class, PreferenceProbability.class);
                    Predictor<PreferencePair, PreferenceProbability> p = m.newPredictor()) {
                for (PreferencePair pair : examples) {
                    double probability = p.predict(pair).probability();
                    assertTrue(probability > 0.5, id + " " + pair.chosen() + ": " + probability);
                }
            }
        }
    }

    @Test
    void outerRouterBeatsTheMajorityCategory() throws Exception {
        List<RewardPair> pairs =
                RewardEvaluator.heldOutPairs(
                        DataSets.brownJsonl(), card("dmoerm-brown").get("seed").getAsLong());
        Map<GenreCategory, Long> counts = new java.util.EnumMap<>(GenreCategory.class);
        pairs.forEach(p -> counts.merge(p.category(), 1L, Long::sum));
        double majority =
                counts.values().stream().mapToLong(Long::longValue).max().orElseThrow()
                        / (double) pairs.size();
        double router =
                card("dmoerm-brown")
                        .getAsJsonObject("metrics")
                        .get("router_accuracy")
                        .getAsDouble();
        assertTrue(
                router > majority, "router accuracy " + router + " vs majority share " + majority);
    }

    @Test
    void preferenceProbabilityIsSigmoidOfTheScoreDifference() throws Exception {
        PreferencePair pair =
                new PreferencePair(
                        "The Fulton County Grand Jury said Friday an investigation of",
                        "Atlanta's recent primary election produced no evidence",
                        "election primary no Atlanta's produced recent evidence");
        for (String id : IDS) {
            try (ZooModel<PreferencePair, PreferenceProbability> pm =
                            load(id, PreferencePair.class, PreferenceProbability.class);
                    Predictor<PreferencePair, PreferenceProbability> pp = pm.newPredictor();
                    ZooModel<RewardInput, RewardScore> sm =
                            load(id, RewardInput.class, RewardScore.class);
                    Predictor<RewardInput, RewardScore> sp = sm.newPredictor()) {
                PreferenceProbability p = pp.predict(pair);
                float rc = sp.predict(new RewardInput(pair.prompt(), pair.chosen())).score();
                float rr = sp.predict(new RewardInput(pair.prompt(), pair.rejected())).score();
                assertEquals(rc, p.chosen().score(), 1e-4f);
                assertEquals(rr, p.rejected().score(), 1e-4f);
                assertEquals(1 / (1 + Math.exp(-(rc - rr))), p.probability(), 1e-4);
                assertEquals(4, p.chosen().objectiveScores().size());
                if (id.startsWith("armorm")) {
                    double sum =
                            p.chosen().objectiveWeights().values().stream()
                                    .mapToDouble(Float::doubleValue)
                                    .sum();
                    assertEquals(1.0, sum, 1e-5);
                    double weighted = 0;
                    for (String o : p.chosen().objectiveScores().keySet()) {
                        weighted +=
                                p.chosen().objectiveScores().get(o)
                                        * p.chosen().objectiveWeights().get(o);
                    }
                    assertEquals(weighted, p.chosen().score(), 1e-4);
                } else {
                    assertTrue(
                            p.chosen().categoryProbabilities().containsKey(p.chosen().category()));
                }
            }
        }
    }

    @Test
    void badInputsGetTypedErrorsAndThePredictorStaysUsable() throws Exception {
        String tooLong = "word ".repeat(80); // over 64 bytes and over 64 tokens
        for (String id : IDS) {
            try (ZooModel<RewardInput, RewardScore> m =
                            load(id, RewardInput.class, RewardScore.class);
                    Predictor<RewardInput, RewardScore> p = m.newPredictor();
                    ZooModel<PreferencePair, PreferenceProbability> pm =
                            load(id, PreferencePair.class, PreferenceProbability.class);
                    Predictor<PreferencePair, PreferenceProbability> pp = pm.newPredictor()) {
                assertEquals(
                        "prompt",
                        assertThrows(
                                        InvalidRewardInputException.class,
                                        () -> p.predict(new RewardInput("  ", "fine words")))
                                .getField());
                assertEquals(
                        "response",
                        assertThrows(
                                        InvalidRewardInputException.class,
                                        () -> p.predict(new RewardInput("A prompt", null)))
                                .getField());
                InvalidRewardInputException e =
                        assertThrows(
                                InvalidRewardInputException.class,
                                () -> p.predict(new RewardInput("A prompt", tooLong)));
                assertTrue(e.getMessage().contains("at most 64"), e.getMessage());
                assertEquals(
                        "input",
                        assertThrows(InvalidRewardInputException.class, () -> p.predict(null))
                                .getField());
                assertEquals(
                        "rejected",
                        assertThrows(
                                        InvalidRewardInputException.class,
                                        () -> pp.predict(new PreferencePair("A prompt", "ok", "")))
                                .getField());
                assertEquals(
                        "pair",
                        assertThrows(InvalidRewardInputException.class, () -> pp.predict(null))
                                .getField());
                // a very long prompt is truncated on the left, not rejected
                RewardScore kept =
                        p.predict(
                                new RewardInput(
                                        "ignored ".repeat(40) + "the last words", "of the text"));
                assertTrue(Float.isFinite(kept.score()));
            }
        }
    }

    @Test
    void concurrentPredictorsGiveTheSequentialResults() throws Exception {
        List<RewardInput> inputs = new ArrayList<>();
        String[] responses = {
            "he said that it was fine",
            "it fine said was that he",
            "the results of the study",
            "Once upon a time there"
        };
        for (int i = 0; i < 16; i++) {
            inputs.add(
                    new RewardInput(
                            "Prompt number " + i + " about the jury and the city",
                            responses[i % 4]));
        }
        for (String id : IDS) {
            try (ZooModel<RewardInput, RewardScore> m =
                    load(id, RewardInput.class, RewardScore.class)) {
                List<Float> sequential = new ArrayList<>();
                try (Predictor<RewardInput, RewardScore> p = m.newPredictor()) {
                    for (RewardInput in : inputs) {
                        sequential.add(p.predict(in).score());
                    }
                }
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<List<Float>>> futures = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        futures.add(
                                pool.submit(
                                        () -> {
                                            List<Float> out = new ArrayList<>();
                                            try (Predictor<RewardInput, RewardScore> p =
                                                    m.newPredictor()) {
                                                for (RewardInput in : inputs) {
                                                    out.add(p.predict(in).score());
                                                }
                                            }
                                            return out;
                                        }));
                    }
                    for (Future<List<Float>> f : futures) {
                        assertEquals(sequential, f.get(), id);
                    }
                } finally {
                    pool.shutdown();
                }
            }
        }
    }

    @Test
    void artifactsAreSmallAndCorruptFilesAreRejected() throws Exception {
        for (String id : IDS) {
            long bytes = 0;
            try (var files = Files.list(dir(id))) {
                for (Path f : files.toList()) {
                    bytes += Files.size(f);
                }
            }
            assertTrue(bytes <= 8L * 1024 * 1024, id + " is " + bytes + " bytes");
        }
        Path src = dir("dmoerm-brown");
        Path broken = Paths.get("target", "reward-broken", "dmoerm");
        if (Files.isDirectory(broken)) {
            try (var old = Files.list(broken)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(broken);
        for (String f : List.of("model.json", "model.safetensors", "card.json", "tokenizer.json")) {
            Files.copy(src.resolve(f), broken.resolve(f));
        }
        Exception e = assertThrows(Exception.class, () -> loadFrom(broken));
        assertTrue(chain(e).contains("lacks base.json"), chain(e));
        Files.copy(src.resolve("base.json"), broken.resolve("base.json"));
        String spec = Files.readString(src.resolve("model.json"));
        Files.writeString(
                broken.resolve("model.json"), spec.replace("\"dmoerm-lm\"", "\"unknown\""));
        e = assertThrows(Exception.class, () -> loadFrom(broken));
        assertTrue(chain(e).contains("unknown architecture"), chain(e));
        Files.writeString(
                broken.resolve("model.json"),
                spec.replace("\"expertWidth\": 8", "\"expertWidth\": 9"));
        e = assertThrows(Exception.class, () -> loadFrom(broken));
        assertTrue(chain(e).contains("shape"), chain(e));
        Files.writeString(broken.resolve("model.json"), spec);
        Files.writeString(
                broken.resolve("base.json"),
                Files.readString(src.resolve("base.json"))
                        .replace("\"vocabSize\": 2257", "\"vocabSize\": 2258"));
        e = assertThrows(Exception.class, () -> loadFrom(broken));
        assertTrue(chain(e).contains("shape"), chain(e));
    }

    /** Both reward models carry brown-moe 0.2.0 unchanged: spec, tokenizer and every weight. */
    @Test
    void rewardModelsShipTheirFrozenBaseModelUnchanged() throws Exception {
        for (String id : IDS) {
            shipsBaseModelUnchanged(id);
        }
    }

    private static void shipsBaseModelUnchanged(String id) throws Exception {
        Path base = ROOT.resolve("../../../text_generation/io/moezoo/brown-moe/0.2.0").normalize();
        Path d = dir(id);
        assertEquals(
                Files.readString(base.resolve("model.json")),
                Files.readString(d.resolve("base.json")));
        assertEquals(
                Files.readString(base.resolve("tokenizer.json")),
                Files.readString(d.resolve("tokenizer.json")));
        io.moezoo.formats.Checkpoint lm =
                io.moezoo.formats.Checkpoint.open(base.resolve("model.safetensors"));
        io.moezoo.formats.Checkpoint reward =
                io.moezoo.formats.Checkpoint.open(d.resolve("model.safetensors"));
        int compared = 0;
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            for (String key : lm.keys()) {
                String match =
                        reward.keys().stream()
                                .filter(k -> k.equals("01features_01lm_" + key))
                                .findFirst()
                                .orElseThrow(
                                        () -> new AssertionError(key + " in " + reward.keys()));
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        lm.load(m, key).toFloatArray(), reward.load(m, match).toFloatArray(), key);
                compared++;
            }
        }
        assertEquals(lm.keys().size(), compared, id);
        assertTrue(compared > 20, "tensors compared: " + compared);
    }

    private static void loadFrom(Path dir) throws Exception {
        Criteria.Builder<RewardInput, RewardScore> builder =
                Criteria.builder()
                        .setTypes(RewardInput.class, RewardScore.class)
                        .optModelPath(dir)
                        .optEngine("PyTorch")
                        .optOption("hasParameter", "false");
        for (Map.Entry<String, com.google.gson.JsonElement> e :
                card("dmoerm-brown").getAsJsonObject("arguments").entrySet()) {
            builder.optArgument(e.getKey(), e.getValue().getAsString());
        }
        builder.build().loadModel().close();
    }

    private static String chain(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c.getMessage()).append(" <- ");
        }
        return s.toString();
    }
}
