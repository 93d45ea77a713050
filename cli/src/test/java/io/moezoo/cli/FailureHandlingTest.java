package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.translate.TranslateException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Every failure inside a command, {@link Error}s included, becomes one {@code error:} line and exit
 * code 1: a test-only subcommand added to the real command line throws each one.
 */
class FailureHandlingTest {

    /** A subcommand that throws what it is given; exists only in this test. */
    @Command(name = "fail")
    static final class Failing implements Callable<Integer> {
        private final Throwable failure;

        Failing(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            if (failure instanceof Exception e) {
                throw e;
            }
            throw (Error) failure;
        }
    }

    private record Outcome(int code, String out, String err) {}

    private static Outcome fail(Throwable failure, String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        MoeZooCli root = new MoeZooCli();
        CommandLine cli =
                MoeZooCli.commandLine(root, new PrintWriter(out, true), new PrintWriter(err, true));
        cli.addSubcommand("fail", new Failing(failure));
        String[] args = new String[options.length + 1];
        System.arraycopy(options, 0, args, 0, options.length);
        args[options.length] = "fail";
        int code = MoeZooCli.execute(cli, root, args, new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    /** Asserts exit code 1 and exactly one line, {@code error: } + expected. */
    private static void assertOneLine(String expected, Throwable failure) {
        Outcome o = fail(failure);
        assertEquals(MoeZooCli.BAD_INPUT, o.code(), o.err());
        assertEquals("error: " + expected + System.lineSeparator(), o.err());
        assertEquals("", o.out());
    }

    @Test
    void errorsAreOneLineWithExitCodeOne() {
        assertOneLine(
                "out of memory (Java heap space): the input needs more memory than this JVM may"
                        + " use; give a smaller input or a larger -Xmx",
                new OutOfMemoryError("Java heap space"));
        assertOneLine(
                "the input is nested too deeply to process (stack overflow)",
                new StackOverflowError());
        assertOneLine(
                "internal error: NoClassDefFoundError at FailureHandlingTest$Failing.call:"
                        + " org/example/Missing (rerun with --verbose)",
                withTrace(new NoClassDefFoundError("org/example/Missing")));
        assertOneLine(
                "internal error: AssertionError at FailureHandlingTest$Failing.call (rerun with"
                        + " --verbose)",
                withTrace(new AssertionError()));
    }

    @Test
    void verboseAddsTheStackTraceBeforeTheLine() {
        Outcome o = fail(new OutOfMemoryError("Java heap space"), "--verbose");
        assertEquals(1, o.code());
        assertTrue(o.err().startsWith("java.lang.OutOfMemoryError: Java heap space"), o.err());
        assertTrue(o.err().contains("\tat io.moezoo.cli.FailureHandlingTest."), o.err());
        assertTrue(o.err().strip().endsWith("or a larger -Xmx"), o.err());
    }

    @Test
    void exceptionsAreNamedBySentencesNotClasses() {
        assertOneLine("file not found: /data/x.csv", new NoSuchFileException("/data/x.csv"));
        assertOneLine("permission denied: /root/x", new AccessDeniedException("/root/x"));
        assertOneLine(
                "/tmp is a directory (and not empty), not a file",
                new DirectoryNotEmptyException("/tmp"));
        assertOneLine(
                "file not found: /a", new UncheckedIOException(new NoSuchFileException("/a")));
        assertOneLine(
                "the input is not valid UTF-8 text (MalformedInputException at"
                        + " FailureHandlingTest$Failing.call:"
                        + " Input length = 1); save it as UTF-8",
                withTrace(new MalformedInputException(1)));
        assertOneLine(
                "'x1' is not a number", new NumberFormatException("For input string: \"x1\""));
        assertOneLine(
                "bad prompt", new TranslateException(new IllegalArgumentException("bad prompt")));
        assertOneLine(
                "Invalid forecast arguments: prediction_length must be in 1..128",
                new ModelNotFoundException(
                        "No model with the specified URI or the matching Input/Output type is"
                                + " found.",
                        new ModelNotFoundException(
                                "No matching translator found",
                                new TranslateException(
                                        "Invalid forecast arguments: prediction_length must be in"
                                                + " 1..128"))));
        assertOneLine(
                "the engine refused the input: index 70000 is out of bounds",
                new EngineException(
                        "index 70000 is out of bounds\nException raised from frame #0: ..."));
        assertOneLine(
                "Caught exception during read: out of memory (Java heap space): the input needs"
                        + " more memory than this JVM may use; give a smaller input or a larger"
                        + " -Xmx",
                new java.io.IOException(
                        "Caught exception during read: ", new OutOfMemoryError("Java heap space")));
        assertOneLine(
                "internal error: NullPointerException at FailureHandlingTest$Failing.call (rerun"
                        + " with --verbose)",
                withTrace(new NullPointerException()));
    }

    @Test
    void messagesCannotWriteControlCharactersOrSeveralLines() {
        assertOneLine(
                "line one line two ?[2J done",
                new IllegalArgumentException("line one\nline two\r\n\u001b[2J done"));
        Outcome longOne = fail(new IllegalArgumentException("x".repeat(10_000)));
        assertEquals(
                "error: " + "x".repeat(FailureMessage.MAX_LENGTH) + "..." + System.lineSeparator(),
                longOne.err());
        assertOneLine(
                "internal error: IllegalStateException at FailureHandlingTest$Failing.call (rerun"
                        + " with --verbose)",
                withTrace(new IllegalStateException("  ")));
        assertEquals(
                "failed without a message (rerun with --verbose)", FailureMessage.oneLine(" \n "));
    }

    @Test
    void usageErrorsAreOneLineWithExitCodeTwo() {
        StringWriter err = new StringWriter();
        int code =
                MoeZooCli.run(
                        new String[] {"generate", "brown-moe", "x", "--top-k", "many"},
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true));
        assertEquals(MoeZooCli.BAD_USAGE, code);
        assertEquals(
                "error: Invalid value for option '--top-k': 'many' is not an int (see 'moe-zoo"
                        + " generate --help')"
                        + System.lineSeparator(),
                err.toString());
    }

    private static <T extends Throwable> T withTrace(T t) {
        t.setStackTrace(
                new StackTraceElement[] {
                    new StackTraceElement(
                            "io.moezoo.cli.FailureHandlingTest$Failing", "call", null, 1)
                });
        return t;
    }
}
