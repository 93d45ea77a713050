package io.moezoo.recipes.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.SequenceScore;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The zoo's Brown language models as users get them: by group and artifact id through DJL's {@code
 * Criteria} (the zoo registered by ServiceLoader, embedded repository), with their cards' held-out
 * perplexity re-measured on the Brown held-out files.
 */
class BrownZooModelsTest {

    private static long[] heldOut;

    @BeforeAll
    static void tokenizeHeldOut() throws IOException {
        heldOut = BrownLanguageModels.tokenize(DataSets.brownJsonl())[1];
    }

    private static <O> ZooModel<String, O> load(String id, Class<O> output) throws Exception {
        return Criteria.builder()
                .setTypes(String.class, output)
                .optGroupId("io.moezoo")
                .optArtifactId(id)
                .build()
                .loadModel();
    }

    private static JsonObject card(ZooModel<?, ?> model) throws IOException {
        return JsonParser.parseString(Files.readString(model.getModelPath().resolve("card.json")))
                .getAsJsonObject();
    }

    @Test
    void cardsPerplexityIsReproducedFromTheShippedWeights() throws Exception {
        for (String id : List.of("brown-moe", "brown-dense")) {
            try (ZooModel<String, SequenceScore> model = load(id, SequenceScore.class);
                    NDManager manager = NDManager.newBaseManager()) {
                JsonObject card = card(model);
                double expected =
                        card.getAsJsonObject("metrics").get("heldOutPerplexity").getAsDouble();
                double tolerance =
                        card.getAsJsonObject("tolerance").get("heldOutPerplexity").getAsDouble();
                double measured =
                        BrownLanguageModels.heldOutPerplexity(model.getBlock(), manager, heldOut);
                assertEquals(expected, measured, tolerance, id + " held-out perplexity");
                long[] counts = BrownLanguageModels.parameterCounts((MoeCausalLm) model.getBlock());
                assertEquals(card.get("totalParameters").getAsLong(), counts[0], id);
                assertEquals(card.get("activatedParameters").getAsLong(), counts[1], id);
            }
        }
    }

    @Test
    void scoringMatchesTheBlockAndGenerationIsDeterministic() throws Exception {
        try (ZooModel<String, SequenceScore> scorer = load("brown-moe", SequenceScore.class);
                Predictor<String, SequenceScore> p = scorer.newPredictor()) {
            SequenceScore s =
                    p.predict("The jury said it did find that the election was conducted.");
            assertTrue(s.logProbs().length == s.tokenIds().length - 1);
            double mean = 0;
            for (float lp : s.logProbs()) {
                assertTrue(lp <= 0 && Float.isFinite(lp));
                mean += lp;
            }
            mean /= s.logProbs().length;
            assertEquals(Math.exp(-mean), s.perplexity(), 1e-6 * s.perplexity());
            // Ordinary English scores better than the same words scrambled.
            SequenceScore scrambled =
                    p.predict("conducted was jury election The that said find it did the.");
            assertTrue(
                    s.perplexity() < scrambled.perplexity(),
                    s.perplexity() + " vs " + scrambled.perplexity());
        }
        try (ZooModel<String, GeneratedText> generator = load("brown-moe", GeneratedText.class);
                Predictor<String, GeneratedText> p = generator.newPredictor()) {
            GeneratedText a = p.predict("The county grand jury");
            GeneratedText b = p.predict("The county grand jury");
            assertArrayEquals(a.tokenIds(), b.tokenIds());
            assertTrue(a.tokenIds().length <= 32 && a.tokenIds().length > 0);
        }
    }

    @Test
    void concurrentPredictorsMatchSequentialOnes() throws Exception {
        List<String> texts =
                List.of(
                        "The Fulton County Grand Jury said Friday an investigation took place.",
                        "It recommended that Fulton legislators act to have these laws studied.",
                        "The petition listed the mayor's occupation as attorney.",
                        "Only a relative handful of such reports was received.");
        try (ZooModel<String, SequenceScore> model = load("brown-dense", SequenceScore.class)) {
            List<SequenceScore> sequential = new ArrayList<>();
            try (Predictor<String, SequenceScore> p = model.newPredictor()) {
                for (String t : texts) {
                    sequential.add(p.predict(t));
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<SequenceScore>> futures = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (String t : texts) {
                        futures.add(
                                pool.submit(
                                        () -> {
                                            try (Predictor<String, SequenceScore> p =
                                                    model.newPredictor()) {
                                                return p.predict(t);
                                            }
                                        }));
                    }
                }
                for (int i = 0; i < futures.size(); i++) {
                    SequenceScore expected = sequential.get(i % texts.size());
                    SequenceScore got = futures.get(i).get();
                    assertArrayEquals(expected.tokenIds(), got.tokenIds());
                    assertArrayEquals(expected.logProbs(), got.logProbs(), 1e-5f);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
