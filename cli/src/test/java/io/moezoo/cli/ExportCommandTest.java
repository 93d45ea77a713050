package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moe-zoo export --onnx ID OUT}: success and the one-line failures. */
class ExportCommandTest {

    @TempDir Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MoeZooCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void exportsTheVisionModel() {
        Path out = dir.resolve("vit");
        Result r = run("export", "--onnx", "vit-moe-fashion-mnist", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + out.resolve("model.onnx")), r.out());
        assertTrue(Files.isRegularFile(out.resolve("model.onnx")));
        assertTrue(Files.isRegularFile(out.resolve("onnx-arguments.json")));
    }

    @Test
    void exportsALocalArtifactDirectory() {
        Path artifact =
                Path.of(
                        "..",
                        "zoo-weights",
                        "src",
                        "main",
                        "resources",
                        "io",
                        "moezoo",
                        "zoo",
                        "repository",
                        "model",
                        "timeseries",
                        "forecasting",
                        "io",
                        "moezoo",
                        "time-moe-vega");
        Path out = dir.resolve("ts");
        Result r =
                run("export", "--onnx", artifact.toString(), out.toString(), "--dispatch", "dense");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dense dispatch"), r.out());
        assertTrue(Files.isRegularFile(out.resolve("model.onnx")));
    }

    @Test
    void unknownModelAndBadDispatchFail() {
        Result r = run("export", "--onnx", "no-such-model", dir.resolve("x").toString());
        assertEquals(MoeZooCli.BAD_INPUT, r.code(), r.out());
        assertTrue(r.err().contains("no zoo model or artifact directory 'no-such-model'"), r.err());
        Result d =
                run(
                        "export",
                        "--onnx",
                        "vit-moe-fashion-mnist",
                        "--dispatch",
                        "diagonal",
                        dir.resolve("y").toString());
        assertEquals(MoeZooCli.BAD_USAGE, d.code(), d.out());
    }
}
