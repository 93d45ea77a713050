package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A default run says nothing on stderr: no DJL INFO lines, no CUDA probe WARN, no tokenizer WARN;
 * {@code --verbose} brings INFO logging back. Child JVMs with the logging configuration the command
 * line ships, on the PyTorch engine (the one that logs as it loads).
 */
class QuietLoggingTest {

    @TempDir Path tmp;

    @Test
    void aDefaultRunHasNothingOnStandardError() throws Exception {
        Path model = WordModel.write(tmp.resolve("model"));
        for (String engine : new String[] {"PyTorch", "MoeJava"}) {
            ChildCli.Result r =
                    ChildCli.runAsShipped(
                            "generate",
                            model.toString(),
                            "w5 w17",
                            "--max-new-tokens",
                            "3",
                            "--engine",
                            engine);
            r.assertSucceeded();
            assertEquals(3, r.out().trim().split(" ").length, r.out());
            assertEquals(List.of(), r.errorLines(), engine + ": stderr should be empty");
        }
    }

    @Test
    void verboseBringsBackInfoLogging() throws Exception {
        Path model = WordModel.write(tmp.resolve("model"));
        for (String flag : new String[] {"-v", "--verbose"}) {
            ChildCli.Result r =
                    ChildCli.runAsShipped(
                            "generate",
                            model.toString(),
                            "w5 w17",
                            "--max-new-tokens",
                            "3",
                            "--engine",
                            "PyTorch",
                            flag);
            r.assertSucceeded();
            assertTrue(
                    r.errorLines().stream().anyMatch(line -> line.contains(" INFO ai.djl.")),
                    flag + " should log DJL at INFO:\n" + r.err());
        }
    }
}
