package io.moezoo.recipes.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
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
 * Criteria} (the zoo registered by ServiceLoader, embedded repository), with their cards' numbers
 * re-measured on the Brown held-out files: the Kneser-Ney baselines on the whole held-out split,
 * the network on the cards' re-evaluation subset (every 8th window; the whole split takes minutes
 * on 2 cores and is measured by {@code BrownReevaluation}).
 */
class BrownZooModelsTest {

    private static BrownSplits split;
    private static long[] heldOut;

    @BeforeAll
    static void tokenizeHeldOut() throws IOException {
        split = BrownLanguageModels.tokenize(DataSets.brownJsonl());
        heldOut = split.test();
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
                JsonObject reevaluation = card.getAsJsonObject("reevaluation");
                int stride = reevaluation.get("stride").getAsInt();
                double expected =
                        reevaluation
                                .getAsJsonObject("metrics")
                                .get("heldOutPerplexity")
                                .getAsDouble();
                double tolerance =
                        reevaluation
                                .getAsJsonObject("tolerance")
                                .get("heldOutPerplexity")
                                .getAsDouble();
                double measured =
                        BrownLanguageModels.heldOutPerplexity(
                                model.getBlock(), manager, heldOut, stride);
                assertEquals(expected, measured, tolerance, id + " held-out perplexity (subset)");
                long[] counts = BrownLanguageModels.parameterCounts((MoeCausalLm) model.getBlock());
                assertEquals(card.get("totalParameters").getAsLong(), counts[0], id);
                assertEquals(card.get("activatedParameters").getAsLong(), counts[1], id);
            }
        }
    }

    @Test
    void cardsKneserNeyBaselinesAreReproducedOnTheWholeSplit() throws Exception {
        for (String id : List.of("brown-moe", "brown-dense")) {
            JsonObject card;
            try (ZooModel<String, SequenceScore> model = load(id, SequenceScore.class)) {
                card = card(model);
            }
            JsonObject reevaluation = card.getAsJsonObject("reevaluation");
            BrownNgramBaselines ngram =
                    BrownNgramBaselines.measure(split, reevaluation.get("stride").getAsInt());
            JsonObject metrics = card.getAsJsonObject("metrics");
            JsonObject tolerance = card.getAsJsonObject("tolerance");
            double[] measured = {ngram.trigram(), ngram.bigram(), ngram.predictions()};
            String[] names = {
                "kneserNeyTrigramPerplexity", "kneserNeyBigramPerplexity", "heldOutPredictions"
            };
            for (int i = 0; i < names.length; i++) {
                assertEquals(
                        metrics.get(names[i]).getAsDouble(),
                        measured[i],
                        tolerance.get(names[i]).getAsDouble(),
                        id + " " + names[i]);
            }
            // every held-out token but the first is one prediction
            assertEquals(heldOut.length - 1, metrics.get("heldOutPredictions").getAsLong(), id);
            assertEquals(
                    reevaluation
                            .getAsJsonObject("metrics")
                            .get("kneserNeyTrigramPerplexity")
                            .getAsDouble(),
                    ngram.trigramSubset(),
                    reevaluation
                            .getAsJsonObject("tolerance")
                            .get("kneserNeyTrigramPerplexity")
                            .getAsDouble(),
                    id + " trigram on the subset");
        }
    }

    /**
     * What the cards claim, read from them (the numbers themselves are re-measured above): the MoE
     * is below its dense twin, and both are below the Kneser-Ney trigram on the same tokens.
     */
    @Test
    void cardsShowBothNetworksBelowKneserNeyAndTheMoeBelowItsDenseTwin() throws Exception {
        double[] perplexity = new double[2];
        double trigram = 0;
        List<String> ids = List.of("brown-moe", "brown-dense");
        for (int i = 0; i < 2; i++) {
            try (ZooModel<String, SequenceScore> model = load(ids.get(i), SequenceScore.class)) {
                JsonObject metrics = card(model).getAsJsonObject("metrics");
                perplexity[i] = metrics.get("heldOutPerplexity").getAsDouble();
                trigram = metrics.get("kneserNeyTrigramPerplexity").getAsDouble();
            }
        }
        assertTrue(perplexity[0] < perplexity[1], "MoE " + perplexity[0] + " vs " + perplexity[1]);
        assertTrue(perplexity[1] < trigram, "dense " + perplexity[1] + " vs KN " + trigram);
    }

    /**
     * The whole-split evaluation predicts every token but the first once: on 2S + 2 tokens (windows
     * of S, S and 1 predictions, the last one short), its perplexity is the prediction-weighted
     * geometric mean of the three windows measured one at a time; with stride 2, of windows 0 and
     * 2.
     */
    @Test
    void heldOutPerplexityCoversEveryTokenOnce() throws Exception {
        int w = BrownLanguageModels.RECIPE.sequence();
        long[] tokens = java.util.Arrays.copyOf(heldOut, 2 * w + 2);
        try (ZooModel<String, SequenceScore> model = load("brown-dense", SequenceScore.class);
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(3, BrownLanguageModels.heldOutWindows(tokens.length));
            double[] logs = new double[3];
            int[] predictions = {w, w, 1};
            for (int k = 0; k < 3; k++) {
                long[] window =
                        java.util.Arrays.copyOfRange(tokens, w * k, w * k + predictions[k] + 1);
                logs[k] =
                        Math.log(
                                BrownLanguageModels.heldOutPerplexity(
                                        model.getBlock(), manager, window));
            }
            double all = BrownLanguageModels.heldOutPerplexity(model.getBlock(), manager, tokens);
            assertEquals(
                    Math.exp((w * logs[0] + w * logs[1] + logs[2]) / (2 * w + 1)), all, 1e-3 * all);
            double everyOther =
                    BrownLanguageModels.heldOutPerplexity(model.getBlock(), manager, tokens, 2);
            assertEquals(
                    Math.exp((w * logs[0] + logs[2]) / (w + 1)), everyOther, 1e-3 * everyOther);
        }
    }

    /**
     * The cards' repetition of continuations is re-measured: every held-out document's prompt
     * continued through the zoo with the card's arguments (64 new tokens) and by plain greedy
     * decoding, and the held-out text's own seq-rep-4 after the same prompts.
     */
    @Test
    void cardsRepetitionIsReproduced() throws Exception {
        try (HuggingFaceTokenizer tokenizer =
                TruncatedGpt2Bpe.load(BrownLanguageModels.RECIPE.merges())) {
            List<BrownContinuations.Prompt> prompts =
                    BrownContinuations.prompts(DataSets.brownJsonl(), tokenizer);
            assertEquals(50, prompts.size());
            for (String id : List.of("brown-moe", "brown-dense")) {
                try (ZooModel<String, GeneratedText> model =
                                BrownArtifacts.generator(null, id, null).loadModel();
                        ZooModel<String, GeneratedText> plain =
                                BrownArtifacts.generator(null, id, 1f).loadModel();
                        Predictor<String, GeneratedText> p = model.newPredictor();
                        Predictor<String, GeneratedText> greedy = plain.newPredictor()) {
                    JsonObject card = card(model);
                    JsonObject metrics = card.getAsJsonObject("metrics");
                    JsonObject tolerance = card.getAsJsonObject("tolerance");
                    BrownContinuations measured = BrownContinuations.measure(p, greedy, prompts);
                    assertEquals(
                            metrics.get("continuationSeqRep4").getAsDouble(),
                            measured.modelRep4(),
                            tolerance.get("continuationSeqRep4").getAsDouble(),
                            id + " seq-rep-4 of continuations");
                    assertEquals(
                            metrics.get("plainGreedyContinuationSeqRep4").getAsDouble(),
                            measured.greedyRep4(),
                            tolerance.get("plainGreedyContinuationSeqRep4").getAsDouble(),
                            id + " seq-rep-4 of plain greedy continuations");
                    assertEquals(
                            metrics.get("heldOutTextSeqRep4").getAsDouble(),
                            measured.humanRep4(),
                            tolerance.get("heldOutTextSeqRep4").getAsDouble(),
                            id + " seq-rep-4 of the held-out text");
                }
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
