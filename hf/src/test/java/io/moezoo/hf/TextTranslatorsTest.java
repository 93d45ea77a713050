package io.moezoo.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.BlockFactory;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.IncrementalDecoder;
import io.moezoo.translators.text.SequenceScore;
import io.moezoo.translators.text.TextGenerationTranslator;
import io.moezoo.translators.text.TextScoringTranslator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generation and scoring through DJL's Criteria on a Hugging Face fixture checkpoint. */
class TextTranslatorsTest {

    private static final Path FIXTURE =
            Paths.get("src", "test", "resources", "fixtures", "mixtral");
    private static Path tokenizerJson;

    /** A word-level tokenizer over the fixture's 64 ids: "w0" … "w63". */
    @BeforeAll
    static void writeTokenizer() throws IOException {
        tokenizerJson =
                WordTokenizer.write(Paths.get("target", "word-tokenizer", "tokenizer.json"), 64);
    }

    private static HuggingFaceTokenizer tokenizer() throws IOException {
        return HuggingFaceTokenizer.newInstance(tokenizerJson);
    }

    private static <O> ZooModel<String, O> load(Translator<String, O> translator, Class<O> type)
            throws Exception {
        return load(translator, type, HfBlockFactory.class);
    }

    private static <O> ZooModel<String, O> load(
            Translator<String, O> translator, Class<O> type, Class<? extends BlockFactory> factory)
            throws Exception {
        return HfBlockFactory.criteria(FIXTURE, String.class, type)
                .optArgument("blockFactory", factory.getName())
                .optTranslator(translator)
                .build()
                .loadModel();
    }

    /**
     * Greedy continuation computed independently: full recompute (no cache) and argmax per step.
     */
    private static long[] greedyOracle(long[] prompt, int steps) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeCausalLm model = HfCheckpointLoader.load(FIXTURE, manager);
            List<Long> ids = new ArrayList<>();
            for (long id : prompt) {
                ids.add(id);
            }
            long[] out = new long[steps];
            for (int s = 0; s < steps; s++) {
                long[] all = ids.stream().mapToLong(Long::longValue).toArray();
                NDArray logits =
                        model.logits(
                                new ParameterStore(manager, false),
                                manager.create(all, new Shape(1, all.length)),
                                null,
                                false,
                                null);
                out[s] = logits.get(new NDIndex("0, -1, :")).argMax().getLong();
                ids.add(out[s]);
            }
            return out;
        }
    }

    @Test
    void greedyGenerationMatchesAnUncachedOracleAndHonoursLimits() throws Exception {
        long[] expected = greedyOracle(new long[] {5, 17, 42}, 6);
        List<Long> streamed = new ArrayList<>();
        GenerationConfig config = GenerationConfig.greedy(6).withOnToken(streamed::add);
        try (HuggingFaceTokenizer tokenizer = tokenizer();
                ZooModel<String, GeneratedText> model =
                        load(new TextGenerationTranslator(tokenizer, config), GeneratedText.class);
                Predictor<String, GeneratedText> predictor = model.newPredictor()) {
            GeneratedText out = predictor.predict("w5 w17 w42");
            assertArrayEquals(expected, out.tokenIds());
            assertFalse(out.stoppedByToken());
            assertEquals(6, out.tokenIds().length, "max new tokens");
            assertEquals(
                    List.of(
                            expected[0],
                            expected[1],
                            expected[2],
                            expected[3],
                            expected[4],
                            expected[5]),
                    streamed);
            StringBuilder text = new StringBuilder();
            for (long id : expected) {
                text.append(text.length() == 0 ? "" : " ").append('w').append(id);
            }
            assertEquals(text.toString(), out.text());
        }
        // A stop token ends generation before it is emitted.
        GenerationConfig stopping = GenerationConfig.greedy(6).withStopTokens(Set.of(expected[2]));
        try (HuggingFaceTokenizer tokenizer = tokenizer();
                ZooModel<String, GeneratedText> model =
                        load(
                                new TextGenerationTranslator(tokenizer, stopping),
                                GeneratedText.class);
                Predictor<String, GeneratedText> predictor = model.newPredictor()) {
            GeneratedText out = predictor.predict("w5 w17 w42");
            int firstStop = 2;
            for (int i = 0; i < 2; i++) {
                if (expected[i] == expected[2]) {
                    firstStop = i;
                    break;
                }
            }
            assertArrayEquals(java.util.Arrays.copyOf(expected, firstStop), out.tokenIds());
            assertTrue(out.stoppedByToken());
        }
    }

    @Test
    void bothDecodingPathsGiveTheOraclesContinuation() throws Exception {
        long[] expected = greedyOracle(new long[] {5, 17, 42}, 6);
        for (Class<? extends BlockFactory> factory :
                List.of(HfBlockFactory.class, StatelessBlockFactory.class)) {
            try (HuggingFaceTokenizer tokenizer = tokenizer();
                    ZooModel<String, GeneratedText> model =
                            load(
                                    new TextGenerationTranslator(
                                            tokenizer, GenerationConfig.greedy(6)),
                                    GeneratedText.class,
                                    factory);
                    Predictor<String, GeneratedText> predictor = model.newPredictor()) {
                assertEquals(
                        factory == HfBlockFactory.class,
                        model.getBlock() instanceof IncrementalDecoder,
                        factory.getSimpleName());
                assertArrayEquals(
                        expected,
                        predictor.predict("w5 w17 w42").tokenIds(),
                        factory.getSimpleName());
            }
        }
    }

    @Test
    void seededSamplingIsDeterministic() throws Exception {
        GenerationConfig sampling = new GenerationConfig(8, 0.9f, 20, 0.95f, 42L, Set.of(), null);
        long[][] runs = new long[2][];
        for (int r = 0; r < 2; r++) {
            try (HuggingFaceTokenizer tokenizer = tokenizer();
                    ZooModel<String, GeneratedText> model =
                            load(
                                    new TextGenerationTranslator(tokenizer, sampling),
                                    GeneratedText.class);
                    Predictor<String, GeneratedText> predictor = model.newPredictor()) {
                runs[r] = predictor.predict("w1 w2").tokenIds();
            }
        }
        assertArrayEquals(runs[0], runs[1]);
        assertEquals(8, runs[0].length);
        assertThrows(
                IllegalArgumentException.class,
                () -> new GenerationConfig(0, 1f, 0, 1f, 1L, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new GenerationConfig(4, 1f, 0, 0f, 1L, null, null));
    }

    @Test
    void scoringMatchesTheReferenceLogits() throws Exception {
        JsonObject expected =
                JsonParser.parseString(Files.readString(FIXTURE.resolve("expected.json")))
                        .getAsJsonObject();
        JsonArray ids = expected.getAsJsonArray("input_ids");
        StringBuilder text = new StringBuilder();
        for (var id : ids) {
            text.append(text.length() == 0 ? "" : " ").append('w').append(id.getAsLong());
        }
        try (HuggingFaceTokenizer tokenizer = tokenizer();
                ZooModel<String, SequenceScore> model =
                        load(new TextScoringTranslator(tokenizer), SequenceScore.class);
                Predictor<String, SequenceScore> predictor = model.newPredictor()) {
            SequenceScore score = predictor.predict(text.toString());
            double sum = 0;
            for (int i = 1; i < ids.size(); i++) {
                JsonArray row = expected.getAsJsonArray("logits").get(i - 1).getAsJsonArray();
                double max = Double.NEGATIVE_INFINITY;
                for (var v : row) {
                    max = Math.max(max, v.getAsDouble());
                }
                double z = 0;
                for (var v : row) {
                    z += Math.exp(v.getAsDouble() - max);
                }
                double logProb = row.get(ids.get(i).getAsInt()).getAsDouble() - max - Math.log(z);
                assertEquals(logProb, score.logProbs()[i - 1], 1e-4, "token " + i);
                sum += logProb;
            }
            assertEquals(
                    Math.exp(-sum / (ids.size() - 1)),
                    score.perplexity(),
                    1e-4 * score.perplexity());
            TranslateException empty =
                    assertThrows(TranslateException.class, () -> predictor.predict("  "));
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
            TranslateException tooShort =
                    assertThrows(TranslateException.class, () -> predictor.predict("w3"));
            assertTrue(tooShort.getMessage().contains("at least 2"), tooShort.getMessage());
        }
    }
}
