package io.moezoo.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code moe-zoo} command line.
 *
 * <p>Exit codes: 0 success; 1 the command failed on its input or otherwise (every failure, errors
 * such as {@link OutOfMemoryError} and {@link StackOverflowError} included, is one {@code error:}
 * line on stderr, see {@link FailureMessage}; {@code --verbose} adds the stack trace before it); 2
 * bad usage (an unknown command or option, a missing or non-numeric value: one {@code error:} line
 * naming it and the command's {@code --help}).
 *
 * <p>Logging is quiet: warnings and errors only ({@code simplelogger.properties} of this module;
 * DJL's probe for CUDA, which warns on every CPU-only machine, errors only). {@code --verbose}
 * ({@code -v}) turns INFO logging on for the run.
 */
@Command(
        name = "moe-zoo",
        mixinStandardHelpOptions = true,
        version = "moe-zoo 0.1.0",
        description = "Mixture-of-Experts models for DJL.",
        subcommands = {
            LogitsCommand.class,
            GenerateCommand.class,
            ChatCommand.class,
            ServeCommand.class,
            ModelsCommand.class,
            InfoCommand.class,
            QuantizeCommand.class,
            BenchCommand.class,
            ZooCommand.class,
            TrainCommand.class,
            ForecastCommand.class,
            RewardCommand.class,
            ClassifyCommand.class,
            DemoCommand.class,
            GgufCommand.class,
            ExportCommand.class
        })
public final class MoeZooCli implements Callable<Integer> {

    /** Exit code of a run that failed on its input. */
    public static final int BAD_INPUT = 1;

    /** Exit code of a command line that could not be parsed. */
    public static final int BAD_USAGE = 2;

    @Option(
            names = {"-v", "--verbose"},
            description = "Print INFO logging (DJL, engines) and the stack traces of errors.",
            scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    /** Whether {@code --verbose} may change the logging of this JVM: only when main runs it. */
    private boolean ownsLogging;

    /** The slf4j-simple property of the default log level. */
    private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    /** The slf4j-simple property of the level of DJL's CUDA probe. */
    private static final String CUDA_LOG_LEVEL = "org.slf4j.simpleLogger.log.ai.djl.util.cuda";

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /**
     * Runs the command line and exits with its code. A failure in another thread that nothing
     * handles ends the run the same way: one {@code error:} line, exit code 1.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        AtomicBoolean reported = new AtomicBoolean();
        Thread.setDefaultUncaughtExceptionHandler(
                (thread, failure) -> {
                    if (reported.compareAndSet(false, true)) {
                        err.println("error: " + FailureMessage.of(failure));
                        err.flush();
                    }
                    Runtime.getRuntime().halt(BAD_INPUT);
                });
        MoeZooCli root = new MoeZooCli();
        root.ownsLogging = true;
        int code =
                execute(commandLine(root, new PrintWriter(System.out, true), err), root, args, err);
        reported.set(true);
        System.exit(code);
    }

    /**
     * Runs the command line with the given streams (for tests and embedding). The JVM's logging is
     * left as it is, {@code --verbose} included.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        MoeZooCli root = new MoeZooCli();
        return execute(commandLine(root, out, err), root, args, err);
    }

    /**
     * The configured command line: usage errors and failures are reported in one line each.
     *
     * @param root the root command
     * @param out standard output
     * @param err standard error
     * @return the command line, ready to execute
     */
    static CommandLine commandLine(MoeZooCli root, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(
                (e, args) -> {
                    err.println("error: " + UsageMessage.of(e));
                    err.flush();
                    return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
                });
        cli.setExecutionExceptionHandler((e, command, parsed) -> report(e, root, err));
        cli.setExecutionStrategy(
                parsed -> {
                    if (root.verbose && root.ownsLogging) {
                        verboseLogging();
                    }
                    return new CommandLine.RunLast().execute(parsed);
                });
        return cli;
    }

    /**
     * Executes a configured command line; a failure that picocli lets through (an {@link Error} in
     * a command) is reported like any other.
     *
     * @param cli the command line from {@link #commandLine}
     * @param root its root command
     * @param args the arguments
     * @param err standard error
     * @return the exit code
     */
    static int execute(CommandLine cli, MoeZooCli root, String[] args, PrintWriter err) {
        try {
            return cli.execute(args);
        } catch (Throwable failure) {
            return report(failure, root, err);
        }
    }

    /**
     * Turns INFO logging on. System properties take precedence over {@code
     * simplelogger.properties}; slf4j-simple reads them when the first logger is made, which in a
     * command-line run is after the arguments are parsed (in a JVM that has logged before, such as
     * a test, it changes nothing).
     */
    private static void verboseLogging() {
        System.setProperty(LOG_LEVEL, "info");
        System.setProperty(CUDA_LOG_LEVEL, "info");
    }

    private static int report(Throwable failure, MoeZooCli root, PrintWriter err) {
        if (root.verbose) {
            failure.printStackTrace(err);
        }
        err.println("error: " + FailureMessage.of(failure));
        err.flush();
        return BAD_INPUT;
    }
}
