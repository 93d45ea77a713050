package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;

/**
 * {@code generate} on a checkpoint honours its {@code generation_config.json}: an EOS id stops the
 * continuation (unless {@code --ignore-eos}); the sampling flags are validated by name.
 */
class GenerationDefaultsCliTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MoeZooCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static Path checkpointWithTokenizer() throws Exception {
        Path source = Paths.get("..", "hf", "src", "test", "resources", "fixtures", "olmoe");
        Path dir = Paths.get("target", "generation-defaults", "olmoe");
        Files.createDirectories(dir);
        for (String name : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(
                    source.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            vocab.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                        + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":"
                        + "\"WordLevel\",\"vocab\":{"
                        + vocab
                        + "},\"unk_token\":\"w0\"}}");
        Files.deleteIfExists(dir.resolve("generation_config.json"));
        return dir;
    }

    @Test
    void anEosIdFromGenerationConfigStopsTheContinuation() throws Exception {
        Path dir = checkpointWithTokenizer();
        String prompt = "w5 w17 w42";
        Result free =
                run("generate", dir.toString(), prompt, "--max-new-tokens", "6", "--ignore-eos");
        assertEquals(0, free.code(), free.err());
        String[] words = free.out().trim().split(" ");
        assertEquals(6, words.length, free.out());
        // The third greedy token becomes the end of sequence: generation stops before it.
        long eos = Long.parseLong(words[2].substring(1));
        int firstEos = java.util.Arrays.asList(words).indexOf(words[2]);
        Files.writeString(
                dir.resolve("generation_config.json"),
                "{\"eos_token_id\": [" + eos + "], \"do_sample\": false}");
        Result stopped = run("generate", dir.toString(), prompt, "--max-new-tokens", "6");
        assertEquals(0, stopped.code(), stopped.err());
        assertEquals(
                String.join(" ", java.util.Arrays.copyOf(words, firstEos)), stopped.out().trim());
        Result ignored =
                run("generate", dir.toString(), prompt, "--max-new-tokens", "6", "--ignore-eos");
        assertEquals(free.out(), ignored.out());
        // Negative presence and frequency penalties (+2 and +2 per use to a generated token's
        // logit, against logits of order 1) make the first token repeat.
        Result repeating =
                run(
                        "generate",
                        dir.toString(),
                        prompt,
                        "--max-new-tokens",
                        "6",
                        "--ignore-eos",
                        "--presence-penalty",
                        "-2",
                        "--frequency-penalty",
                        "-2");
        assertEquals(0, repeating.code(), repeating.err());
        assertEquals(
                String.join(" ", java.util.Collections.nCopies(6, words[0])),
                repeating.out().trim());
        assertNotEquals(free.out(), repeating.out());
    }

    @Test
    void samplingFlagsAreCheckedByName() throws Exception {
        Path dir = checkpointWithTokenizer();
        Result minP = run("generate", dir.toString(), "w1", "--min-p", "1.5");
        assertEquals(1, minP.code());
        assertTrue(minP.err().contains("--min-p must be in [0, 1), got 1.5"), minP.err());
        Result rep = run("generate", dir.toString(), "w1", "--repetition-penalty", "0");
        assertEquals(1, rep.code());
        assertTrue(rep.err().contains("--repetition-penalty"), rep.err());
        Result freq = run("generate", dir.toString(), "w1", "--frequency-penalty", "3");
        assertEquals(1, freq.code());
        assertTrue(freq.err().contains("--frequency-penalty must be in [-2, 2]"), freq.err());
    }
}
