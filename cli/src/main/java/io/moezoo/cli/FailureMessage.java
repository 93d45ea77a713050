package io.moezoo.cli;

import ai.djl.engine.EngineException;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.translate.TranslateException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns any failure into the one line the command line prints after {@code error: }: a sentence
 * that says what went wrong with which file or option, never empty, never a bare exception class or
 * path, never more than one line or {@value #MAX_LENGTH} characters, and free of control characters
 * (a hostile input cannot write escape sequences to the terminal through an error message).
 *
 * <p>Wrappers that add nothing (DJL's {@code TranslateException(cause)}, its "No model ... found"
 * and "No matching translator found", reflection and concurrency wrappers) are looked through to
 * the failure that names the problem.
 */
final class FailureMessage {

    /** The longest message printed; longer ones are cut with "...". */
    static final int MAX_LENGTH = 600;

    private FailureMessage() {}

    /**
     * Describes a failure in one line.
     *
     * @param failure the failure
     * @return the line, without the {@code error: } prefix
     */
    static String of(Throwable failure) {
        return oneLine(describe(cause(failure), 0));
    }

    /**
     * Cleans a message for one terminal line: line breaks become spaces, other control characters
     * {@code ?}, and the result is cut at {@link #MAX_LENGTH} characters.
     *
     * @param message the message
     * @return the line
     */
    static String oneLine(String message) {
        String text = message == null ? "" : message.strip();
        StringBuilder out = new StringBuilder();
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') {
                space = true;
                continue;
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            boolean control =
                    Character.isISOControl(c)
                            || c == '\u2028'
                            || c == '\u2029'
                            || (Character.isSurrogate(c) && !pairedSurrogate(text, i));
            out.append(control ? '?' : c);
        }
        if (out.length() >= MAX_LENGTH && text.length() > MAX_LENGTH) {
            out.append("...");
        }
        return out.length() == 0
                ? "failed without a message (rerun with --verbose)"
                : out.toString();
    }

    private static boolean pairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c)
                ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }

    /** The innermost failure that carries the information, looking through wrappers. */
    private static Throwable cause(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; depth < 32 && t.getCause() != null && t.getCause() != t; depth++) {
            if (!wrapper(t)) {
                break;
            }
            t = t.getCause();
        }
        return t;
    }

    private static boolean wrapper(Throwable t) {
        String message = t.getMessage();
        Throwable cause = t.getCause();
        if (message == null || message.isBlank() || message.equals(cause.toString())) {
            return true;
        }
        if (t instanceof ExecutionException
                || t instanceof CompletionException
                || t instanceof InvocationTargetException
                || t instanceof UndeclaredThrowableException
                || t instanceof UncheckedIOException
                || t instanceof picocli.CommandLine.ExecutionException) {
            return true;
        }
        if (t instanceof ModelNotFoundException) {
            return message.startsWith("No model with the specified URI")
                    || message.startsWith("No matching translator found");
        }
        return t instanceof TranslateException && message.startsWith(cause.getClass().getName());
    }

    private static String describe(Throwable t, int depth) {
        String message = t.getMessage() == null ? "" : t.getMessage().strip();
        if (t instanceof OutOfMemoryError) {
            return "out of memory"
                    + (message.isEmpty() ? "" : " (" + message + ")")
                    + ": the input needs more memory than this JVM may use; give a smaller input"
                    + " or a larger -Xmx";
        }
        if (t instanceof StackOverflowError) {
            return "the input is nested too deeply to process (stack overflow)";
        }
        if (t instanceof Error) {
            return "internal error: " + named(t, message) + " (rerun with --verbose)";
        }
        if (t instanceof FileSystemException fs) {
            return fileSystem(fs);
        }
        if (t instanceof CharacterCodingException) {
            return "the input is not valid UTF-8 text ("
                    + named(t, message)
                    + "); save it as UTF-8";
        }
        if (t instanceof NumberFormatException) {
            return number(message);
        }
        if (t instanceof EngineException) {
            int cut = message.indexOf('\n');
            return "the engine refused the input: "
                    + (cut < 0 ? message : message.substring(0, cut));
        }
        if (message.isEmpty()) {
            return "internal error: " + named(t, message) + " (rerun with --verbose)";
        }
        if (message.endsWith(":") && t.getCause() != null && depth < 8) {
            return message + " " + describe(cause(t.getCause()), depth + 1);
        }
        if (t instanceof NullPointerException
                || t instanceof IndexOutOfBoundsException
                || t instanceof ClassCastException
                || t instanceof ArithmeticException
                || t instanceof ArrayStoreException) {
            return "internal error: " + named(t, message) + " (rerun with --verbose)";
        }
        return message;
    }

    private static String fileSystem(FileSystemException e) {
        String file = e.getFile() == null ? "a file" : e.getFile();
        String other = e.getOtherFile() == null ? "" : " (and " + e.getOtherFile() + ")";
        if (e instanceof NoSuchFileException) {
            return "file not found: " + file + other;
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + file + other;
        }
        if (e instanceof FileAlreadyExistsException) {
            return file + " already exists" + other;
        }
        if (e instanceof NotDirectoryException) {
            return file + " is not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return file + " is a directory (and not empty), not a file";
        }
        String reason = e.getReason();
        return file + other + ": " + (reason == null ? "cannot be accessed" : reason);
    }

    private static String number(String message) {
        String prefix = "For input string: ";
        String value =
                message.startsWith(prefix)
                        ? message.substring(prefix.length())
                        : "'" + message + "'";
        return value.replace('"', '\'') + " is not a number";
    }

    private static String named(Throwable t, String message) {
        String name = t.getClass().getSimpleName();
        StackTraceElement[] trace = t.getStackTrace();
        String where =
                trace.length == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                " at %s.%s",
                                trace[0].getClassName()
                                        .substring(trace[0].getClassName().lastIndexOf('.') + 1),
                                trace[0].getMethodName());
        return message.isEmpty() ? name + where : name + where + ": " + message;
    }
}
