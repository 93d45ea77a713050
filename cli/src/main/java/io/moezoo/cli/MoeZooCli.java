package io.moezoo.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code moe-zoo} command line. Exit codes: 0 success, 1 bad input (one clear line on stderr,
 * the stack trace with {@code --verbose}), 2 bad usage.
 */
@Command(
        name = "moe-zoo",
        mixinStandardHelpOptions = true,
        version = "moe-zoo 0.1.0",
        description = "Mixture-of-Experts models for DJL.",
        subcommands = {
            LogitsCommand.class,
            GenerateCommand.class,
            ModelsCommand.class,
            InfoCommand.class,
            BenchCommand.class,
            ZooCommand.class,
            TrainCommand.class,
            ForecastCommand.class,
            RewardCommand.class,
            ClassifyCommand.class,
            DemoCommand.class
        })
public final class MoeZooCli implements Callable<Integer> {

    /** Exit code of a run that failed on its input. */
    public static final int BAD_INPUT = 1;

    @Option(
            names = "--verbose",
            description = "Print stack traces of errors.",
            scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(
                run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given streams (for tests and embedding).
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        MoeZooCli root = new MoeZooCli();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(
                (e, command, parsed) -> {
                    if (root.verbose) {
                        e.printStackTrace(err);
                    } else {
                        err.println("error: " + e.getMessage());
                    }
                    err.flush();
                    return BAD_INPUT;
                });
        return cli.execute(args);
    }
}
