package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the command line in a child JVM with a small heap and a deadline, the way a user's shell
 * would, so that a hostile input can be shown to end in one clean {@code error:} line: no stack
 * trace, no hang, no crash and no heap beyond {@code -Xmx}.
 */
final class ChildCli {

    /** Heap of the child JVM: large enough for the test fixtures, far below a runaway input. */
    static final String DEFAULT_HEAP = "-Xmx256m";

    /** Deadline of one child run. */
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    private ChildCli() {}

    /**
     * The outcome of one child run.
     *
     * @param code the exit code (-1 if it was killed at the deadline)
     * @param out standard output
     * @param err standard error
     * @param timedOut whether the deadline killed it
     * @param args the arguments, for messages
     */
    record Result(int code, String out, String err, boolean timedOut, List<String> args) {

        /** The error lines, without the JVM's own warnings (incubator module notice). */
        List<String> errorLines() {
            List<String> lines = new ArrayList<>();
            for (String line : err.split("\\R")) {
                if (!line.isBlank() && !line.startsWith("WARNING: Using incubator modules")) {
                    lines.add(line);
                }
            }
            return lines;
        }

        /**
         * Asserts a clean refusal: not killed, exit code {@code expectedCode}, exactly one {@code
         * error:} line on stderr, no stack trace anywhere, and a message containing every given
         * fragment (case-insensitive).
         */
        void assertRefused(int expectedCode, String... fragments) {
            String where = "moe-zoo " + String.join(" ", args) + "\nstderr:\n" + err;
            assertFalse(timedOut, "hung past the deadline: " + where);
            assertEquals(expectedCode, code, "exit code of " + where);
            List<String> lines = errorLines();
            assertEquals(1, lines.size(), "one line expected: " + where);
            assertTrue(lines.get(0).startsWith("error: "), "an error: line expected: " + where);
            assertFalse(
                    (out + err).matches("(?s).*(\\n\\s+at |Exception in thread|hs_err).*"),
                    "stack trace or crash: " + where);
            String message = lines.get(0).toLowerCase(java.util.Locale.ROOT);
            for (String fragment : fragments) {
                assertTrue(
                        message.contains(fragment.toLowerCase(java.util.Locale.ROOT)),
                        "'" + fragment + "' expected in: " + lines.get(0));
            }
        }

        /** Asserts a clean refusal with exit code 1 (bad input). */
        void assertRefused(String... fragments) {
            assertRefused(MoeZooCli.BAD_INPUT, fragments);
        }

        /** Asserts success. */
        void assertSucceeded() {
            assertFalse(timedOut, "hung: " + args);
            assertNotEquals(-1, code);
            assertEquals(0, code, "moe-zoo " + String.join(" ", args) + "\nstderr:\n" + err);
        }
    }

    /**
     * Runs {@code moe-zoo args} with the default heap and deadline.
     *
     * @param args the command line
     * @return the outcome
     */
    static Result run(String... args) throws IOException, InterruptedException {
        return run(DEFAULT_HEAP, DEFAULT_DEADLINE, null, args);
    }

    /**
     * Runs {@code moe-zoo args} in a child JVM with this JVM's class path and test properties.
     *
     * @param heap the {@code -Xmx} option
     * @param deadline killed after this long
     * @param stdin bytes fed to standard input, or null for none
     * @param args the command line
     * @return the outcome
     */
    /** The line the JVM prints when an incubator module is added. */
    static final String INCUBATOR_BANNER =
            "WARNING: Using incubator modules: jdk.incubator.vector" + System.lineSeparator();

    static Result run(String heap, Duration deadline, byte[] stdin, String... args)
            throws IOException, InterruptedException {
        return run(heap, deadline, stdin, true, args);
    }

    /**
     * Runs {@code moe-zoo args} with the logging configuration the command line ships ({@code
     * simplelogger.properties}), not the test's logging properties.
     *
     * @param args the command line
     * @return the outcome
     */
    static Result runAsShipped(String... args) throws IOException, InterruptedException {
        return run(DEFAULT_HEAP, DEFAULT_DEADLINE, null, false, args);
    }

    /**
     * Starts {@code moe-zoo args} as shipped (its own logging configuration) without waiting: for a
     * command that runs until it is stopped ({@code serve}).
     *
     * @param out where standard output goes
     * @param err where standard error goes
     * @param args the command line
     * @return the running child
     */
    static Process startAsShipped(Path out, Path err, String... args) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command(DEFAULT_HEAP, false, args))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .redirectInput(
                                ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    private static List<String> command(String heap, boolean testLogging, String... args) {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add(heap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        for (String property :
                List.of(
                        "ai.djl.offline",
                        "DJL_CACHE_DIR",
                        "ENGINE_CACHE_DIR",
                        "ai.djl.default_engine",
                        "org.slf4j.simpleLogger.defaultLogLevel",
                        "org.slf4j.simpleLogger.log.ai.djl.util.cuda")) {
            String value = System.getProperty(property);
            if (value != null && (testLogging || !property.startsWith("org.slf4j."))) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MoeZooCli.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    private static Result run(
            String heap, Duration deadline, byte[] stdin, boolean testLogging, String... args)
            throws IOException, InterruptedException {
        List<String> command = command(heap, testLogging, args);
        Path dir = Files.createDirectories(Paths.get("target", "child-cli"));
        Path outFile = Files.createTempFile(dir, "out-", ".txt");
        Path errFile = Files.createTempFile(dir, "err-", ".txt");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectOutput(outFile.toFile())
                        .redirectError(errFile.toFile());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OMP_NUM_THREADS", "1");
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
        }
        Process process = builder.start();
        if (stdin != null) {
            try (var in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the child may exit before reading all of it
            }
        }
        boolean finished = process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String out = new String(Files.readAllBytes(outFile), StandardCharsets.UTF_8);
        // The JVM's own banner for --add-modules jdk.incubator.vector (the launcher script prints
        // it too); everything else the command wrote to standard error is kept.
        String err =
                new String(Files.readAllBytes(errFile), StandardCharsets.UTF_8)
                        .replace(INCUBATOR_BANNER, "");
        Files.deleteIfExists(outFile);
        Files.deleteIfExists(errFile);
        return new Result(finished ? process.exitValue() : -1, out, err, !finished, List.of(args));
    }
}
