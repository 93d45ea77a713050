package io.moezoo.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.translators.text.ContextLengthExceededException;
import io.moezoo.translators.text.ContinuousBatcher;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Requests from several threads decoded together by one {@link ContinuousBatcher}: each gets what
 * it gets alone (its own config, sampler and stream), a failing stream ends only its own request,
 * and a closed batcher refuses work.
 */
class ContinuousBatcherTest {

    private static final List<String> PROMPTS =
            List.of("w5 w17 w42 w3", "w9", "w60 w2 w2 w33 w8 w1 w40", "w11 w12");

    private static GenerationConfig config(int i) {
        GenerationConfig greedy = GenerationConfig.greedy(8 + 3 * i);
        return i % 2 == 0 ? greedy : greedy.withSampling(0.8f, 16, 0.9f, 0f);
    }

    private static ZooModel<String, GeneratedText> load(Path dir, HuggingFaceTokenizer tokenizer)
            throws Exception {
        return HfBlockFactory.criteria(
                        dir, String.class, GeneratedText.class, HfBlockFactory.JAVA_ENGINE)
                .optTranslator(new TextGenerationTranslator(tokenizer, config(0)))
                .build()
                .loadModel();
    }

    @Test
    void concurrentRequestsEachGetWhatTheyGetAlone() throws Exception {
        Path dir = MoeJavaEngineTest.withTokenizer("glm4_moe");
        try (HuggingFaceTokenizer tokenizer = MoeJavaEngineTest.tokenizer(dir);
                ZooModel<String, GeneratedText> model = load(dir, tokenizer)) {
            List<GeneratedText> alone = new ArrayList<>();
            for (int i = 0; i < PROMPTS.size(); i++) {
                try (Predictor<String, GeneratedText> p =
                        model.newPredictor(new TextGenerationTranslator(tokenizer, config(i)))) {
                    alone.add(p.predict(PROMPTS.get(i)));
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(PROMPTS.size() + 1);
            try (ContinuousBatcher batcher = new ContinuousBatcher(model, 3)) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<GeneratedText>> futures = new ArrayList<>();
                List<StringBuilder> streams = new ArrayList<>();
                for (int i = 0; i < PROMPTS.size(); i++) {
                    int k = i;
                    StringBuilder stream = new StringBuilder();
                    streams.add(stream);
                    futures.add(
                            pool.submit(
                                    () -> {
                                        start.await();
                                        return batcher.generate(
                                                tokenizer,
                                                PROMPTS.get(k),
                                                config(k),
                                                stream::append);
                                    }));
                }
                // A client that goes away after two pieces: only its own request fails.
                int[] pieces = {0};
                Future<GeneratedText> gone =
                        pool.submit(
                                () -> {
                                    start.await();
                                    return batcher.generate(
                                            tokenizer,
                                            "w1 w2 w3",
                                            GenerationConfig.greedy(20),
                                            piece -> {
                                                if (++pieces[0] == 2) {
                                                    throw new IllegalStateException("gone");
                                                }
                                            });
                                });
                start.countDown();
                for (int i = 0; i < PROMPTS.size(); i++) {
                    GeneratedText got = futures.get(i).get();
                    assertArrayEquals(alone.get(i).tokenIds(), got.tokenIds(), "request " + i);
                    assertEquals(alone.get(i).text(), got.text());
                    assertEquals(got.text(), streams.get(i).toString());
                }
                Exception e = assertThrows(Exception.class, gone::get);
                assertTrue(String.valueOf(e.getCause()).contains("gone"), e.toString());
                // A prompt that does not fit is refused on the caller's thread.
                assertThrows(
                        ContextLengthExceededException.class,
                        () ->
                                batcher.generate(
                                        tokenizer,
                                        PROMPTS.get(2),
                                        GenerationConfig.greedy(60),
                                        null));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aClosedBatcherRefusesWork() throws Exception {
        Path dir = MoeJavaEngineTest.withTokenizer("qwen2_moe");
        try (HuggingFaceTokenizer tokenizer = MoeJavaEngineTest.tokenizer(dir);
                ZooModel<String, GeneratedText> model = load(dir, tokenizer)) {
            ContinuousBatcher batcher = new ContinuousBatcher(model, 2);
            assertEquals(
                    4,
                    batcher.generate(tokenizer, "w1 w2", GenerationConfig.greedy(4), null)
                            .tokenIds()
                            .length);
            batcher.close();
            assertThrows(
                    IllegalStateException.class,
                    () -> batcher.generate(tokenizer, "w1", GenerationConfig.greedy(2), null));
            assertThrows(IllegalArgumentException.class, () -> new ContinuousBatcher(model, 0));
        }
    }
}
