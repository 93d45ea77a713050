package io.moezoo.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.translators.text.BatchTextGenerator;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Several prompts generated as one batch give each prompt exactly what generating it alone gives
 * (greedy and seeded sampling, a sequence that stops early while the others go on, streamed text),
 * on the engine (lock-step batches) and on the PyTorch path (one prompt after another).
 */
class BatchTextGeneratorTest {

    private static final List<String> PROMPTS =
            List.of("w5 w17 w42 w3", "w9", "w60 w2 w2 w33 w8 w1 w40");

    private static List<GeneratedText> alone(Path dir, String engine, GenerationConfig config)
            throws Exception {
        List<GeneratedText> out = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = MoeJavaEngineTest.tokenizer(dir);
                ZooModel<String, GeneratedText> model =
                        HfBlockFactory.criteria(dir, String.class, GeneratedText.class, engine)
                                .optTranslator(new TextGenerationTranslator(tokenizer, config))
                                .build()
                                .loadModel();
                Predictor<String, GeneratedText> predictor = model.newPredictor()) {
            for (String prompt : PROMPTS) {
                out.add(predictor.predict(prompt));
            }
        }
        return out;
    }

    private record Batched(
            List<GeneratedText> results, Map<Integer, String> streamed, boolean batched) {}

    private static Batched together(Path dir, String engine, GenerationConfig config)
            throws Exception {
        Map<Integer, String> streamed = new TreeMap<>();
        try (HuggingFaceTokenizer tokenizer = MoeJavaEngineTest.tokenizer(dir);
                ZooModel<String, GeneratedText> model =
                        HfBlockFactory.criteria(dir, String.class, GeneratedText.class, engine)
                                .optTranslator(new TextGenerationTranslator(tokenizer, config))
                                .build()
                                .loadModel()) {
            BatchTextGenerator generator = new BatchTextGenerator(model, tokenizer, config);
            List<GeneratedText> results =
                    generator.generate(
                            PROMPTS, (i, piece) -> streamed.merge(i, piece, String::concat));
            return new Batched(results, streamed, generator.batched());
        }
    }

    private static void assertSame(List<GeneratedText> expected, Batched actual) {
        assertEquals(expected.size(), actual.results().size());
        for (int i = 0; i < expected.size(); i++) {
            GeneratedText e = expected.get(i);
            GeneratedText a = actual.results().get(i);
            assertArrayEquals(e.tokenIds(), a.tokenIds(), "prompt " + i);
            assertEquals(e.text(), a.text(), "prompt " + i);
            assertEquals(e.stoppedByToken(), a.stoppedByToken(), "prompt " + i);
            assertEquals(a.text(), actual.streamed().getOrDefault(i, ""), "stream " + i);
        }
    }

    @Test
    void theEngineBatchesAndEachPromptGetsWhatItGetsAlone() throws Exception {
        Path dir = MoeJavaEngineTest.withTokenizer("qwen2_moe");
        GenerationConfig greedy = GenerationConfig.greedy(10);
        List<GeneratedText> reference = alone(dir, HfBlockFactory.JAVA_ENGINE, greedy);
        Batched batch = together(dir, HfBlockFactory.JAVA_ENGINE, greedy);
        assertTrue(batch.batched());
        assertSame(reference, batch);
        // A stop token that the second prompt generates third: it finishes early, the others go
        // on (or stop where they too meet it).
        long stop = reference.get(1).tokenIds()[2];
        GenerationConfig stopping = greedy.withStopTokens(Set.of(stop));
        List<GeneratedText> stopped = alone(dir, HfBlockFactory.JAVA_ENGINE, stopping);
        assertTrue(stopped.get(1).stoppedByToken());
        assertEquals(2, stopped.get(1).tokenIds().length);
        assertSame(stopped, together(dir, HfBlockFactory.JAVA_ENGINE, stopping));
        // Seeded sampling with penalties: every sequence has its own sampler and stream.
        GenerationConfig sampled =
                greedy.withSampling(0.9f, 20, 0.95f, 0.01f).withPenalties(1.2f, 0.1f, 0.1f);
        assertSame(
                alone(dir, HfBlockFactory.JAVA_ENGINE, sampled),
                together(dir, HfBlockFactory.JAVA_ENGINE, sampled));
    }

    @Test
    void thePyTorchPathRunsThePromptsOneAfterAnother() throws Exception {
        Path dir = MoeJavaEngineTest.withTokenizer("qwen2_moe");
        GenerationConfig greedy = GenerationConfig.greedy(6);
        Batched batch = together(dir, HfBlockFactory.REFERENCE_ENGINE, greedy);
        assertFalse(batch.batched());
        assertSame(alone(dir, HfBlockFactory.JAVA_ENGINE, greedy), batch);
    }

    @Test
    void aPromptThatDoesNotFitFailsTheBatchBeforeAnythingRuns() throws Exception {
        Path dir = MoeJavaEngineTest.withTokenizer("qwen2_moe");
        GenerationConfig config = GenerationConfig.greedy(60);
        try (HuggingFaceTokenizer tokenizer = MoeJavaEngineTest.tokenizer(dir);
                ZooModel<String, GeneratedText> model =
                        HfBlockFactory.criteria(
                                        dir,
                                        String.class,
                                        GeneratedText.class,
                                        HfBlockFactory.JAVA_ENGINE)
                                .optTranslator(new TextGenerationTranslator(tokenizer, config))
                                .build()
                                .loadModel()) {
            BatchTextGenerator generator = new BatchTextGenerator(model, tokenizer, config);
            TranslateException e =
                    assertThrows(TranslateException.class, () -> generator.generate(PROMPTS));
            assertTrue(e.getMessage().contains("context"), e.getMessage());
            assertEquals(List.of(), generator.generate(List.of()));
        }
    }
}
