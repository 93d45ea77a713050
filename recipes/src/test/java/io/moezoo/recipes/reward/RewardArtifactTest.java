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

    private static Path dir(String id) {
        return ROOT.resolve(id).resolve("0.1.0");
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
        String tooLong = "word ".repeat(20);
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
        Path broken = Files.createDirectories(Paths.get("target", "reward-broken", "dmoerm"));
        Path src = dir("dmoerm-brown");
        for (String f : List.of("model.json", "model.safetensors", "card.json")) {
            Files.copy(
                    src.resolve(f),
                    broken.resolve(f),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(
                broken.resolve("model.json"),
                Files.readString(src.resolve("model.json")).replace("\"dmoerm\"", "\"unknown\""));
        Exception e = assertThrows(Exception.class, () -> loadFrom(broken));
        assertTrue(chain(e).contains("unknown architecture"), chain(e));
        Files.copy(
                src.resolve("model.json"),
                broken.resolve("model.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(
                broken.resolve("model.json"),
                Files.readString(src.resolve("model.json"))
                        .replace("\"loraRank\": 4", "\"loraRank\": 5"));
        e = assertThrows(Exception.class, () -> loadFrom(broken));
        assertTrue(chain(e).contains("shape"), chain(e));
    }

    @Test
    void bothArtifactsShipTheSameFrozenEncoderAndFfnCopies() throws Exception {
        io.moezoo.formats.Checkpoint d =
                io.moezoo.formats.Checkpoint.open(dir("dmoerm-brown").resolve("model.safetensors"));
        io.moezoo.formats.Checkpoint a =
                io.moezoo.formats.Checkpoint.open(dir("armorm-brown").resolve("model.safetensors"));
        int compared = 0;
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            for (String key : d.keys()) {
                if (key.contains("encoder")) {
                    String other = key.replaceFirst("^\\d\\dencoder", "");
                    String match =
                            a.keys().stream()
                                    .filter(
                                            k ->
                                                    k.contains("encoder")
                                                            && k.replaceFirst("^\\d\\dencoder", "")
                                                                    .equals(other))
                                    .findFirst()
                                    .orElseThrow(() -> new AssertionError(key));
                    org.junit.jupiter.api.Assertions.assertArrayEquals(
                            d.load(m, key).toFloatArray(), a.load(m, match).toFloatArray(), key);
                    compared++;
                }
            }
            // the LoRA bank's frozen projections equal the encoder's last FFN (untouched by phase
            // 2)
            for (String proj : List.of("gate_proj", "up_proj", "down_proj")) {
                String bank =
                        d.keys().stream()
                                .filter(k -> k.contains("experts") && k.endsWith(proj))
                                .findFirst()
                                .orElseThrow();
                String enc =
                        d.keys().stream()
                                .filter(k -> k.contains("layer1") && k.endsWith("mlp_" + proj))
                                .findFirst()
                                .orElseThrow(() -> new AssertionError(d.keys().toString()));
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        d.load(m, enc).toFloatArray(), d.load(m, bank).toFloatArray(), proj);
            }
        }
        assertTrue(compared > 10, "encoder tensors compared: " + compared);
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
