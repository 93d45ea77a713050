package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.formats.BlockFormat;
import io.moezoo.formats.Checkpoint;
import io.moezoo.hf.ScaledFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code moe-zoo quantize} in child JVMs: a quantised copy that info and logits accept. */
class QuantizeCommandTest {

    private static final Path FIXTURES =
            Paths.get("..", "hf", "src", "test", "resources", "fixtures");

    @Test
    void quantizesAWidenedFixtureThatInfoAndLogitsThenRead(@TempDir Path tmp) throws Exception {
        Path source = ScaledFixture.write(FIXTURES, "olmoe", tmp.resolve("src"), 5);
        Path out = tmp.resolve("q4");
        ChildCli.Result r =
                ChildCli.run("quantize", source.toString(), "--to", "q4_0", out.toString());
        r.assertSucceeded();
        assertTrue(r.out().contains("tensors q4_0"), r.out());
        Checkpoint q = Checkpoint.open(out);
        assertEquals(BlockFormat.Q4_0, q.blockFormat("model.layers.0.self_attn.q_proj.weight"));
        ChildCli.run("info", out.toString()).assertSucceeded();
        ChildCli.Result logits = ChildCli.run("logits", out.toString(), "1,2,3");
        logits.assertSucceeded();
        assertFalse(logits.out().isBlank());
    }

    @Test
    void quantizesACommittedFixtureAndRefusesToOverwrite(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("q8");
        String fixture = FIXTURES.resolve("mixtral_sharded").toString();
        ChildCli.run("quantize", fixture, "--to", "Q8_0", out.toString()).assertSucceeded();
        assertTrue(Files.exists(out.resolve("config.json")));
        ChildCli.run("quantize", fixture, "--to", "q8_0", out.toString())
                .assertRefused("not an empty directory");
    }

    @Test
    void usageErrorsExitTwoWithOneLine(@TempDir Path tmp) throws Exception {
        String fixture = FIXTURES.resolve("mixtral").toString();
        String out = tmp.resolve("x").toString();
        ChildCli.run("quantize", fixture, "--to", "q5_k", out)
                .assertRefused(MoeZooCli.BAD_USAGE, "--to", "q5_k", "q8_0 or q4_0");
        ChildCli.run("quantize", fixture, out).assertRefused(MoeZooCli.BAD_USAGE, "--to");
        ChildCli.run("quantize", "--to", "q8_0", fixture).assertRefused(MoeZooCli.BAD_USAGE, "OUT");
        ChildCli.run("quantize", tmp.resolve("missing").toString(), "--to", "q8_0", out)
                .assertRefused("not a checkpoint directory");
        assertFalse(Files.exists(tmp.resolve("x")));
    }
}
