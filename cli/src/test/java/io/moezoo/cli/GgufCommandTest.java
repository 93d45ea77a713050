package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.engine.gguf.GgufSource;
import io.moezoo.engine.gguf.GgufType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code moe-zoo gguf export}: success, usage errors (exit 2) and failures (exit 1), one line each.
 */
class GgufCommandTest {

    private static final Path FIXTURES =
            Paths.get("..", "hf", "src", "test", "resources", "fixtures");

    @TempDir Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MoeZooCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void exportsAFixture() throws Exception {
        Path out = dir.resolve("sub/olmoe.gguf");
        Result r =
                run(
                        "gguf",
                        "export",
                        FIXTURES.resolve("olmoe").toString(),
                        out.toString(),
                        "--type",
                        "BF16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + out + ": olmoe, "), r.out());
        assertTrue(r.out().contains("bf16"), r.out());
        try (GgufSource source = GgufSource.open(out)) {
            assertEquals("olmoe", source.spec().modelType());
        }
    }

    @Test
    void exportsGptOssWithItsMxfp4Experts() throws Exception {
        Path out = dir.resolve("oss.gguf");
        Result r =
                run(
                        "gguf",
                        "export",
                        FIXTURES.resolve("gpt_oss").toString(),
                        out.toString(),
                        "--type",
                        "q8_0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + out + ": gpt-oss, "), r.out());
        try (GgufSource source = GgufSource.open(out)) {
            assertEquals("gpt_oss", source.spec().modelType());
            assertEquals(
                    GgufType.MXFP4,
                    source.file().tensors().get("blk.0.ffn_down_exps.weight").type());
            assertEquals(GgufType.Q8_0, source.file().tensors().get("blk.0.attn_q.weight").type());
        }
        Result mxfp4 = run("gguf", "export", "a", "b.gguf", "--type", "mxfp4");
        assertEquals(2, mxfp4.code(), mxfp4.err());
        assertTrue(mxfp4.err().contains("not an export type"), mxfp4.err());
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        for (String[] args :
                new String[][] {
                    {"gguf", "export", "a", "b.gguf", "--type", "q4_k"},
                    {"gguf", "export", "a"},
                    {"gguf", "export", "a", "b", "c"},
                    {"gguf"},
                    {"gguf", "import", "x"}
                }) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
        }
        assertTrue(run("gguf", "export", "a", "b.gguf", "--type", "q4_k").err().contains("q4_k"));
    }

    @Test
    void failuresExitOneWithOneErrorLine() throws Exception {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        for (String[] args :
                new String[][] {
                    {
                        "gguf",
                        "export",
                        dir.resolve("missing").toString(),
                        dir.resolve("a.gguf").toString()
                    },
                    {
                        "gguf",
                        "export",
                        FIXTURES.resolve("jetmoe").toString(),
                        dir.resolve("j.gguf").toString()
                    },
                    {"gguf", "export", FIXTURES.resolve("mixtral").toString(), dir.toString()},
                    {
                        "gguf",
                        "export",
                        FIXTURES.resolve("mixtral").toString(),
                        file.resolve("x.gguf").toString()
                    }
                }) {
            Result r = run(args);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("error: "), r.err());
        }
        assertTrue(Files.notExists(dir.resolve("j.gguf")));
    }
}
