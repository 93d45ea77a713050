package io.moezoo.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import io.moezoo.translators.text.ContextLengthExceededException;
import io.moezoo.translators.text.ContextWindow;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.SequenceScore;
import io.moezoo.translators.text.TextGenerationTranslator;
import io.moezoo.translators.text.TextScoringTranslator;
import io.moezoo.translators.text.TextTranslatorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The translators against a block that declares its {@link ContextWindow}: prompt plus new tokens
 * must fit, truncation keeps the last tokens, nothing is presized by max new tokens, and token-id
 * options are checked against the vocabulary (64 words on the Mixtral fixture).
 */
class ContextWindowTranslatorsTest {

    private static final Path FIXTURE =
            Paths.get("src", "test", "resources", "fixtures", "mixtral");
    private static Path tokenizerJson;

    @BeforeAll
    static void writeTokenizer() throws IOException {
        tokenizerJson =
                WordTokenizer.write(Paths.get("target", "word-tokenizer", "tokenizer.json"), 64);
    }

    private static <O> ZooModel<String, O> load(
            Translator<String, O> translator, Class<O> type, int contextLength) throws Exception {
        return HfBlockFactory.criteria(FIXTURE, String.class, type)
                .optArgument("blockFactory", WindowedBlockFactory.class.getName())
                .optArgument("testContextLength", contextLength)
                .optTranslator(translator)
                .build()
                .loadModel();
    }

    private static long[] generate(GenerationConfig config, int context, String prompt)
            throws Exception {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson);
                ZooModel<String, GeneratedText> model =
                        load(
                                new TextGenerationTranslator(tokenizer, config),
                                GeneratedText.class,
                                context);
                Predictor<String, GeneratedText> predictor = model.newPredictor()) {
            assertEquals(context, ((ContextWindow) model.getBlock()).contextLength());
            return predictor.predict(prompt).tokenIds();
        }
    }

    @Test
    void promptPlusNewTokensMustFitAndTruncationKeepsTheLastTokens() throws Exception {
        // 3 prompt tokens + 5 new = the context of 8
        long[] expected = generate(GenerationConfig.greedy(5), 8, "w5 w17 w42");
        assertEquals(5, expected.length);
        assertArrayEquals(
                expected,
                generate(GenerationConfig.greedy(5), 64, "w5 w17 w42"),
                "the window does not change what fits");
        ContextLengthExceededException tooLong =
                assertThrows(
                        ContextLengthExceededException.class,
                        () -> generate(GenerationConfig.greedy(6), 8, "w5 w17 w42"));
        assertEquals(3, tooLong.getPromptTokens());
        assertEquals(6, tooLong.getMaxNewTokens());
        assertEquals(8, tooLong.getContextLength());
        assertEquals(
                "The prompt is 3 tokens and maxNewTokens is 6: 9 tokens exceed the model's"
                        + " context of 8 tokens; shorten the prompt, lower maxNewTokens, or set"
                        + " truncatePrompt to keep its last 2 tokens",
                tooLong.getMessage());
        // truncation: of "w1 w2 w5 w17 w42" the last 8 - 5 = 3 tokens are kept
        assertArrayEquals(
                expected,
                generate(
                        GenerationConfig.greedy(5).withTruncatePrompt(true),
                        8,
                        "w1 w2 w5 w17 w42"));
        ContextLengthExceededException noRoom =
                assertThrows(
                        ContextLengthExceededException.class,
                        () ->
                                generate(
                                        GenerationConfig.greedy(8).withTruncatePrompt(true),
                                        8,
                                        "w5"));
        assertTrue(noRoom.getMessage().contains("at most 7 new tokens fit"), noRoom.getMessage());
    }

    @Test
    void nothingIsPresizedByMaxNewTokens() throws Exception {
        long first = generate(GenerationConfig.greedy(1), 8, "w5 w17 w42")[0];
        // Two billion new tokens in a window that allows them: a presized long[] of that length
        // would not fit in the test heap; the stop token ends generation at once.
        GenerationConfig huge =
                GenerationConfig.greedy(Integer.MAX_VALUE - 16).withStopTokens(Set.of(first));
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson);
                ZooModel<String, GeneratedText> model =
                        load(
                                new TextGenerationTranslator(tokenizer, huge),
                                GeneratedText.class,
                                Integer.MAX_VALUE);
                Predictor<String, GeneratedText> predictor = model.newPredictor()) {
            GeneratedText out = predictor.predict("w5 w17 w42");
            assertEquals(0, out.tokenIds().length);
            assertTrue(out.stoppedByToken());
        }
    }

    @Test
    void tokenIdOptionsAreCheckedAgainstTheVocabulary() throws Exception {
        assertEquals(
                "topK is 65 but the model's vocabulary has 64 tokens",
                assertThrows(
                                TranslateException.class,
                                () ->
                                        generate(
                                                new GenerationConfig(
                                                        2, 1f, 65, 1f, 1L, Set.of(), null),
                                                16,
                                                "w1"))
                        .getMessage());
        assertEquals(
                "Stop token 64 is outside the model's vocabulary of 64 tokens (ids 0..63)",
                assertThrows(
                                TranslateException.class,
                                () ->
                                        generate(
                                                GenerationConfig.greedy(2)
                                                        .withStopTokens(Set.of(63L, 64L)),
                                                16,
                                                "w1"))
                        .getMessage());
        assertEquals(
                2,
                generate(new GenerationConfig(2, 1f, 64, 1f, 1L, Set.of(), null), 16, "w1").length);
        TranslateException surrogate =
                assertThrows(
                        TranslateException.class,
                        () -> generate(GenerationConfig.greedy(2), 16, "w1 \uD800 w2"));
        assertEquals(
                "Input text has an unpaired UTF-16 surrogate U+D800 at index 3: not valid Unicode"
                        + " text",
                surrogate.getMessage());
    }

    @Test
    void scoringRefusesOrTruncatesLongTexts() throws Exception {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson);
                ZooModel<String, SequenceScore> strict =
                        load(new TextScoringTranslator(tokenizer), SequenceScore.class, 4);
                ZooModel<String, SequenceScore> cutting =
                        load(new TextScoringTranslator(tokenizer, true), SequenceScore.class, 4);
                Predictor<String, SequenceScore> refusing = strict.newPredictor();
                Predictor<String, SequenceScore> truncating = cutting.newPredictor()) {
            ContextLengthExceededException e =
                    assertThrows(
                            ContextLengthExceededException.class,
                            () -> refusing.predict("w1 w2 w3 w4 w5 w6"));
            assertEquals(6, e.getPromptTokens());
            assertEquals(0, e.getMaxNewTokens());
            SequenceScore cut = truncating.predict("w1 w2 w3 w4 w5 w6");
            SequenceScore tail = refusing.predict("w3 w4 w5 w6");
            assertArrayEquals(new long[] {3, 4, 5, 6}, cut.tokenIds());
            assertArrayEquals(tail.logProbs(), cut.logProbs(), 0f);
            assertEquals(tail.perplexity(), cut.perplexity(), 0.0);
        }
    }

    @Test
    void theFactoryValidatesArgumentsAndPassesTruncation() throws Exception {
        Path dir = Files.createDirectories(Paths.get("target", "windowed-model"));
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(FIXTURE.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(
                tokenizerJson, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        ModelNotFoundException bad =
                assertThrows(
                        ModelNotFoundException.class,
                        () ->
                                HfBlockFactory.criteria(dir, String.class, GeneratedText.class)
                                        .optTranslatorFactory(new TextTranslatorFactory())
                                        .optArgument("temperature", "NaN")
                                        .build()
                                        .loadModel());
        assertEquals(
                "Invalid generation arguments: temperature must be a finite number in [0, 100]"
                        + " (0 = greedy), got NaN",
                bad.getCause().getCause().getMessage());
        try (ZooModel<String, GeneratedText> model =
                        HfBlockFactory.criteria(dir, String.class, GeneratedText.class)
                                .optArgument("blockFactory", WindowedBlockFactory.class.getName())
                                .optArgument("testContextLength", 8)
                                .optTranslatorFactory(new TextTranslatorFactory())
                                .optArgument("maxNewTokens", 5)
                                .optArgument("truncatePrompt", "true")
                                .build()
                                .loadModel();
                Predictor<String, GeneratedText> predictor = model.newPredictor()) {
            GeneratedText out = predictor.predict("w1 w2 w5 w17 w42");
            assertArrayEquals(
                    generate(GenerationConfig.greedy(5), 8, "w5 w17 w42"), out.tokenIds());
            assertFalse(out.stoppedByToken());
        }
    }
}
