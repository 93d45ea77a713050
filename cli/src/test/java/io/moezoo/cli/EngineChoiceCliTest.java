package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --engine}: checkpoints run on MoeJava by default, and the PyTorch reference path gives the
 * same logits (within 1e-4) and the same greedy continuation; a bad engine name is a usage error.
 */
class EngineChoiceCliTest {

    private static final Path FIXTURES =
            Paths.get("..", "hf", "src", "test", "resources", "fixtures");

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MoeZooCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static float[][] logits(String json) {
        JsonArray rows = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("logits");
        float[][] out = new float[rows.size()][];
        for (int p = 0; p < out.length; p++) {
            JsonArray row = rows.get(p).getAsJsonArray();
            out[p] = new float[row.size()];
            for (int v = 0; v < out[p].length; v++) {
                out[p][v] = row.get(v).getAsFloat();
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"olmoe", "deepseek_v3_fp8", "jetmoe", "mixtral_bf16"})
    void bothEnginesGiveTheReferenceLogitsAndTheSameContinuation(String fixture) throws Exception {
        Path dir = FIXTURES.resolve(fixture);
        JsonObject expected =
                JsonParser.parseString(Files.readString(dir.resolve("expected.json")))
                        .getAsJsonObject();
        StringBuilder ids = new StringBuilder();
        for (var id : expected.getAsJsonArray("input_ids")) {
            ids.append(ids.length() == 0 ? "" : ",").append(id.getAsLong());
        }
        Result engine = run("logits", dir.toString(), ids.toString());
        Result reference = run("logits", dir.toString(), ids.toString(), "--engine", "PyTorch");
        assertEquals(0, engine.code(), engine.err());
        assertEquals(0, reference.code(), reference.err());
        float[][] a = logits(engine.out());
        float[][] b = logits(reference.out());
        float[][] want = logits(expected.toString());
        for (int p = 0; p < want.length; p++) {
            for (int v = 0; v < want[p].length; v++) {
                assertEquals(want[p][v], a[p][v], 1e-4, fixture + " MoeJava " + p + "," + v);
                assertEquals(want[p][v], b[p][v], 1e-4, fixture + " PyTorch " + p + "," + v);
            }
        }

        Path withTokenizer = Paths.get("target", "engine-choice", fixture);
        Files.createDirectories(withTokenizer);
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(
                        f,
                        withTokenizer.resolve(f.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            vocab.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        Files.writeString(
                withTokenizer.resolve("tokenizer.json"),
                "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                        + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":"
                        + "\"WordLevel\",\"vocab\":{"
                        + vocab
                        + "},\"unk_token\":\"w0\"}}");
        String prompt = "w5 w17 w42";
        Result onEngine =
                run("generate", withTokenizer.toString(), prompt, "--max-new-tokens", "8");
        Result onReference =
                run(
                        "generate",
                        withTokenizer.toString(),
                        prompt,
                        "--max-new-tokens",
                        "8",
                        "--engine",
                        "PyTorch");
        assertEquals(0, onEngine.code(), onEngine.err());
        assertEquals(onReference.out(), onEngine.out());
        assertEquals(8, onEngine.out().trim().split(" ").length, onEngine.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"logits", "generate"})
    void anUnknownEngineIsAUsageError(String command) {
        Result r =
                run(command, FIXTURES.resolve("olmoe").toString(), "1", "--engine", "TensorFlow");
        assertEquals(MoeZooCli.BAD_USAGE, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("--engine"), r.err());
        assertEquals(1, r.err().trim().split("\n").length, r.err());
    }
}
