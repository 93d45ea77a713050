package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate} writes the continuation while it is generated, and the pieces are the text. */
class GenerateStreamingTest {

    @TempDir Path tmp;

    /** Standard output that records what had been written at each flush. */
    private static final class FlushRecorder extends Writer {
        final StringBuilder text = new StringBuilder();
        final List<String> flushed = new ArrayList<>();

        @Override
        public void write(char[] buffer, int offset, int length) {
            text.append(buffer, offset, length);
        }

        @Override
        public void flush() {
            if (flushed.isEmpty() || !flushed.get(flushed.size() - 1).contentEquals(text)) {
                flushed.add(text.toString());
            }
        }

        @Override
        public void close() {}
    }

    @Test
    void streamedTextIsTheGeneratedText() throws Exception {
        Path model = WordModel.write(tmp.resolve("model"));
        String prompt = "w5 w17 w42";
        int tokens = 6;
        for (String engine : new String[] {"PyTorch", "MoeJava"}) {
            FlushRecorder out = new FlushRecorder();
            StringWriter err = new StringWriter();
            int code =
                    MoeZooCli.run(
                            new String[] {
                                "generate",
                                model.toString(),
                                prompt,
                                "--max-new-tokens",
                                String.valueOf(tokens),
                                "--engine",
                                engine
                            },
                            new PrintWriter(out, false),
                            new PrintWriter(err, true));
            assertEquals(0, code, err.toString());

            // The oracle: the same generation through the translator, without streaming.
            String expected = generate(model, prompt, tokens, engine);
            assertEquals(expected + System.lineSeparator(), out.text.toString(), engine);
            // Written in pieces as the tokens came: one flush per token (word-level decoding
            // completes a word per token), each showing a prefix of the final text.
            List<String> pieces =
                    out.flushed.stream().filter(s -> !s.endsWith(System.lineSeparator())).toList();
            assertEquals(tokens, pieces.size(), engine + ": " + out.flushed);
            for (String piece : pieces) {
                assertTrue(expected.startsWith(piece), piece + " / " + expected);
            }
        }
    }

    @Test
    void aStopStringEndsTheStreamedTextBeforeIt() throws Exception {
        Path model = WordModel.write(tmp.resolve("model"));
        String prompt = "w9 w3 w60 w7";
        String whole = generate(model, prompt, 10, "MoeJava");
        String[] words = whole.trim().split(" ");
        // The oracle: the whole continuation cut where the stop string first occurs.
        String stop = " " + words[3];
        String expected = whole.substring(0, whole.indexOf(stop));
        FlushRecorder out = new FlushRecorder();
        StringWriter err = new StringWriter();
        int code =
                MoeZooCli.run(
                        new String[] {
                            "generate",
                            model.toString(),
                            prompt,
                            "--max-new-tokens",
                            "10",
                            "--stop-string",
                            "never-said",
                            "--stop-string",
                            stop
                        },
                        new PrintWriter(out, false),
                        new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertEquals(expected + System.lineSeparator(), out.text.toString());
        StringWriter refusedErr = new StringWriter();
        int refused =
                MoeZooCli.run(
                        new String[] {"generate", model.toString(), prompt, "--stop-string", ""},
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(refusedErr, true));
        assertEquals(MoeZooCli.BAD_INPUT, refused);
        assertTrue(
                refusedErr.toString().contains("--stop-string: stop strings must not be empty"),
                refusedErr.toString());
    }

    private static String generate(Path dir, String prompt, int tokens, String engine)
            throws Exception {
        try (HuggingFaceTokenizer tokenizer =
                        HuggingFaceTokenizer.builder()
                                .optTokenizerPath(dir.resolve("tokenizer.json"))
                                .optTruncation(false)
                                .build();
                ZooModel<String, GeneratedText> model =
                        HfBlockFactory.criteria(dir, String.class, GeneratedText.class, engine)
                                .optTranslator(
                                        new TextGenerationTranslator(
                                                tokenizer, GenerationConfig.greedy(tokens)))
                                .build()
                                .loadModel();
                Predictor<String, GeneratedText> predictor = model.newPredictor()) {
            GeneratedText text = predictor.predict(prompt);
            assertEquals(tokens, text.tokenIds().length);
            return text.text();
        }
    }
}
