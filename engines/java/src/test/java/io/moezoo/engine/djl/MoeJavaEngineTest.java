package io.moezoo.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.moezoo.engine.Fixtures;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.SequenceScore;
import io.moezoo.translators.text.TextGenerationTranslator;
import io.moezoo.translators.text.TextScoringTranslator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine through DJL: registered under its name beside PyTorch (which stays the default),
 * loaded by {@code Criteria}, and giving the same greedy continuations and sequence scores as the
 * PyTorch reference path through the project's text translators.
 */
class MoeJavaEngineTest {

    /** A fixture copied beside a word-level tokenizer over its 64 ids (w0 … w63). */
    static Path withTokenizer(String fixture) throws IOException {
        Path dir = Paths.get("target", "engine-fixtures", fixture);
        Files.createDirectories(dir);
        try (var files = Files.list(Fixtures.DIR.resolve(fixture))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            vocab.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                        + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\","
                        + "\"vocab\":{"
                        + vocab
                        + "},\"unk_token\":\"w0\"}}");
        return dir;
    }

    static HuggingFaceTokenizer tokenizer(Path dir) throws IOException {
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(dir.resolve("tokenizer.json"))
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .build();
    }

    @Test
    void theEngineIsRegisteredBesidePyTorchWhichStaysTheDefault() {
        Engine engine = Engine.getEngine(MoeJavaEngine.ENGINE_NAME);
        assertEquals(MoeJavaEngine.ENGINE_NAME, engine.getEngineName());
        assertEquals("PyTorch", Engine.getDefaultEngineName());
        assertEquals("PyTorch", engine.getAlternativeEngine().getEngineName());
        assertEquals(HfBlockFactory.JAVA_ENGINE, HfBlockFactory.defaultEngine());
        assertTrue(engine.toString().startsWith("MoeJava:"), engine.toString());
    }

    private static GeneratedText generate(Path dir, String engine, String prompt, int tokens)
            throws Exception {
        try (HuggingFaceTokenizer tokenizer = tokenizer(dir);
                ZooModel<String, GeneratedText> model =
                        HfBlockFactory.criteria(dir, String.class, GeneratedText.class, engine)
                                .optTranslator(
                                        new TextGenerationTranslator(
                                                tokenizer, GenerationConfig.greedy(tokens)))
                                .build()
                                .loadModel();
                Predictor<String, GeneratedText> predictor = model.newPredictor()) {
            if (engine.equals(MoeJavaEngine.ENGINE_NAME)) {
                assertInstanceOf(CausalLmBlock.class, model.getBlock());
            }
            return predictor.predict(prompt);
        }
    }

    private static SequenceScore score(Path dir, String engine, String text) throws Exception {
        try (HuggingFaceTokenizer tokenizer = tokenizer(dir);
                ZooModel<String, SequenceScore> model =
                        HfBlockFactory.criteria(dir, String.class, SequenceScore.class, engine)
                                .optTranslator(new TextScoringTranslator(tokenizer, false))
                                .build()
                                .loadModel();
                Predictor<String, SequenceScore> predictor = model.newPredictor()) {
            return predictor.predict(text);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mixtral",
                "mixtral_bf16",
                "mixtral_swa",
                "qwen2_moe",
                "qwen3_moe",
                "olmoe",
                "jetmoe",
                "granitemoe",
                "glm4_moe",
                "deepseek_v2",
                "deepseek_v3_fp8"
            })
    void greedyTokensAndScoresEqualThePyTorchPath(String fixture) throws Exception {
        Path dir = withTokenizer(fixture);
        String prompt = "w5 w17 w42 w3";
        GeneratedText engine = generate(dir, HfBlockFactory.JAVA_ENGINE, prompt, 12);
        GeneratedText reference = generate(dir, HfBlockFactory.REFERENCE_ENGINE, prompt, 12);
        assertArrayEquals(reference.tokenIds(), engine.tokenIds(), fixture);
        assertEquals(12, engine.tokenIds().length);
        SequenceScore a = score(dir, HfBlockFactory.JAVA_ENGINE, prompt + " w9 w1");
        SequenceScore b = score(dir, HfBlockFactory.REFERENCE_ENGINE, prompt + " w9 w1");
        assertArrayEquals(b.tokenIds(), a.tokenIds());
        assertEquals(b.logProbs().length, a.logProbs().length);
        for (int i = 0; i < a.logProbs().length; i++) {
            assertEquals(b.logProbs()[i], a.logProbs()[i], 1e-4, fixture + " log-prob " + i);
        }
        assertEquals(b.perplexity(), a.perplexity(), 1e-3 * b.perplexity(), fixture);
    }

    @Test
    void theBlockFollowsTheKeyValueProtocol() throws Exception {
        Path dir = withTokenizer("qwen2_moe");
        Fixtures expected = Fixtures.of("qwen2_moe");
        long[] ids = expected.ids();
        try (ZooModel<String, GeneratedText> model =
                        HfBlockFactory.criteria(
                                        dir,
                                        String.class,
                                        GeneratedText.class,
                                        HfBlockFactory.JAVA_ENGINE)
                                .optTranslator(
                                        new TextGenerationTranslator(
                                                tokenizer(dir), GenerationConfig.greedy(1)))
                                .build()
                                .loadModel();
                NDManager manager = model.getNDManager().newSubManager()) {
            CausalLmBlock block = (CausalLmBlock) model.getBlock();
            ParameterStore ps = new ParameterStore(manager, false);
            NDList first =
                    block.forward(
                            ps,
                            new NDList(
                                    manager.create(new long[] {ids[0], ids[1]}, new Shape(1, 2))),
                            false);
            assertEquals(1 + 2 * block.getModel().spec().numLayers(), first.size());
            NDList input = new NDList(manager.create(new long[] {ids[2]}, new Shape(1, 1)));
            input.addAll(first.subNDList(1));
            NDList second = block.forward(ps, input, false);
            NDArray logits = second.get(0);
            assertEquals(new Shape(1, 1, 64), logits.getShape());
            assertTrue(expected.maxError(2, logits.toFloatArray(), 0) <= 1e-4);
            assertEquals(3, second.get(1).getShape().get(0));
        }
    }

    @Test
    void aBlockFactoryIsRefused() throws IOException {
        Path dir = withTokenizer("mixtral");
        Exception e =
                assertThrows(
                        Exception.class,
                        () ->
                                HfBlockFactory.criteria(
                                                dir,
                                                String.class,
                                                GeneratedText.class,
                                                HfBlockFactory.JAVA_ENGINE)
                                        .optArgument("blockFactory", new HfBlockFactory())
                                        .optTranslator(
                                                new TextGenerationTranslator(
                                                        tokenizer(dir), GenerationConfig.greedy(1)))
                                        .build()
                                        .loadModel());
        assertTrue(String.valueOf(e.getMessage()).contains("do not pass a block"), e.toString());
    }
}
