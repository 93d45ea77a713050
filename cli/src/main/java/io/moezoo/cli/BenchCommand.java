package io.moezoo.cli;

import io.moezoo.recipes.bench.DispatchBenchmark;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code moe-zoo bench}: the MoE dispatch benchmark (ratios against a dense FFN, same run). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark MoE dispatch (sorted, padded, naive loop, dense-masked) against a dense"
                        + " SwiGLU FFN with the same activated FLOPs, measured in the same run.")
final class BenchCommand implements Callable<Integer> {

    /** The most tokens per forward pass. */
    static final int MAX_TOKENS = 65_536;

    /** The most timed runs per cell. */
    static final int MAX_ITERATIONS = 1_000;

    @Option(
            names = "--tokens",
            defaultValue = "4096",
            description = "Tokens per forward pass, 1..65536 (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(
            names = "--iterations",
            defaultValue = "5",
            description =
                    "Timed runs per cell, 1..1000, median reported (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--out", description = "Also write the Markdown table to this file.")
    Path outFile;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (tokens <= 0 || iterations <= 0) {
            throw new IllegalArgumentException(
                    "--tokens and --iterations must be > 0, got " + tokens + " and " + iterations);
        }
        if (tokens > MAX_TOKENS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "--tokens must be at most "
                            + MAX_TOKENS
                            + " and --iterations at most "
                            + MAX_ITERATIONS
                            + ", got "
                            + tokens
                            + " and "
                            + iterations);
        }
        if (outFile != null) {
            OutputPaths.checkFile(outFile, "--out");
        }
        String table = DispatchBenchmark.run(tokens, iterations, TerminalProgress.forConsole());
        PrintWriter out = spec.commandLine().getOut();
        out.print(table);
        out.flush();
        if (outFile != null) {
            Files.writeString(outFile, table, StandardCharsets.UTF_8);
        }
        return 0;
    }
}
