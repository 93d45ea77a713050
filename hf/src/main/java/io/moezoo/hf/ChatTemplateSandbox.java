package io.moezoo.hf;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.loader.ResourceLocator;
import java.lang.reflect.Method;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a chat template with jinjava as an untrusted program: nothing is loaded from the file
 * system or the network ({@code include}, {@code import} and {@code extends} fail), the output,
 * strings, lists and maps are bounded, macros may not recurse, and a render has a time limit. The
 * whitespace rules are those transformers compiles chat templates with ({@code trim_blocks} and
 * {@code lstrip_blocks}, the latter applied by {@link Jinja2Compat#lstripBlocks}). The globals
 * {@code raise_exception(message)} and {@code strftime_now(format)} are those transformers
 * provides.
 */
final class ChatTemplateSandbox {

    /** The most characters a render may produce. */
    static final long MAX_OUTPUT_CHARS = 4L << 20;

    /** The longest a render may take, in milliseconds. */
    static final long MAX_RENDER_MILLIS = 5_000;

    /** The deepest nesting of rendered nodes. */
    static final int MAX_RENDER_DEPTH = 32;

    /** The most elements of a list or map a template may build. */
    static final int MAX_COLLECTION_SIZE = 100_000;

    /**
     * Jinja2's semantics where jinjava departs from them by default: {@code {{-}} and {@code {#-}}
     * trim whitespace, dict literal keys are evaluated, iterating a
     * dict yields its keys, and whitespace control is parsed strictly.
     */
    private static final LegacyOverrides JINJA2 =
            LegacyOverrides.newBuilder()
                    .withUseTrimmingForNotesAndExpressions(true)
                    .withEvaluateMapKeys(true)
                    .withIterateOverMapKeys(true)
                    .withParseWhitespaceControlStrictly(true)
                    .withKeepNullableLoopValues(true)
                    .build();

    private ChatTemplateSandbox() {}

    /** What {@code raise_exception} throws, with the template's message. */
    private static final class Raised extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Raised(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Renders a template.
     *
     * @param name the template's name, for messages
     * @param source the template text
     * @param bindings the variables
     * @return the rendered text
     * @throws ChatTemplateException naming the template, if it cannot be rendered
     */
    static String render(String name, String source, Map<String, Object> bindings) {
        long deadline = System.nanoTime() + MAX_RENDER_MILLIS * 1_000_000L;
        JinjavaConfig config =
                JinjavaConfig.newBuilder()
                        .withTrimBlocks(true)
                        .withLstripBlocks(false)
                        .withMaxOutputSize(MAX_OUTPUT_CHARS)
                        .withMaxStringLength(MAX_OUTPUT_CHARS)
                        .withMaxListSize(MAX_COLLECTION_SIZE)
                        .withMaxMapSize(MAX_COLLECTION_SIZE)
                        .withMaxRenderDepth(MAX_RENDER_DEPTH)
                        .withEnableRecursiveMacroCalls(false)
                        .withMaxMacroRecursionDepth(1)
                        .withNestedInterpretationEnabled(false)
                        .withFailOnUnknownTokens(false)
                        .withLegacyOverrides(JINJA2)
                        .withElResolver(
                                new ChatTemplateResolver(
                                        JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY,
                                        deadline,
                                        name))
                        .build();
        Jinjava jinjava = new Jinjava(config);
        jinjava.setResourceLocator(refuseAll(name));
        jinjava.registerFunction(function("raise_exception", "raiseException"));
        jinjava.registerFunction(function("strftime_now", "strftimeNow"));
        RenderResult result;
        try {
            result =
                    jinjava.renderForResult(
                            Jinja2Compat.lstripBlocks(Jinja2Compat.rewrite(source)), bindings);
        } catch (RuntimeException | StackOverflowError e) {
            throw failure(name, e);
        }
        for (TemplateError error : result.getErrors()) {
            if (fails(error)) {
                Throwable cause = error.getException();
                for (Throwable t = cause; t != null; t = t.getCause()) {
                    if (t instanceof Raised || t instanceof ChatTemplateException) {
                        throw failure(name, t);
                    }
                }
                throw new ChatTemplateException(
                        "chat template "
                                + name
                                + " failed at line "
                                + error.getLineno()
                                + ": "
                                + error.getMessage(),
                        cause);
            }
        }
        return result.getOutput();
    }

    /**
     * Whether an error fails the render: every fatal error, and the warnings of a limit reached or
     * an exception (a macro that recursed, a collection too big). Undefined names are not errors,
     * as in Jinja2.
     */
    private static boolean fails(TemplateError error) {
        return error.getSeverity() == TemplateError.ErrorType.FATAL
                || switch (error.getReason()) {
                    case EXCEPTION,
                                    OUTPUT_TOO_BIG,
                                    OVER_LIMIT,
                                    COLLECTION_TOO_BIG,
                                    DISABLED,
                                    SYNTAX_ERROR,
                                    INVALID_ARGUMENT ->
                            true;
                    default -> false;
                };
    }

    private static ChatTemplateException failure(String name, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Raised raised) {
                return new ChatTemplateRaisedException(name, raised.getMessage());
            }
            if (t instanceof ChatTemplateException c) {
                return c;
            }
        }
        return new ChatTemplateException("chat template " + name + " failed: " + e, e);
    }

    private static ResourceLocator refuseAll(String name) {
        return (path, encoding, interpreter) -> {
            throw new ChatTemplateException(
                    "chat template "
                            + name
                            + " tries to load "
                            + path
                            + ": templates may not load files");
        };
    }

    private static ELFunctionDefinition function(String global, String method) {
        try {
            Method m = ChatTemplateSandbox.class.getDeclaredMethod(method, Object.class);
            m.setAccessible(true);
            return new ELFunctionDefinition("", global, m);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code raise_exception(message)}: fails the render with the template's message. */
    @SuppressWarnings("unused")
    private static Object raiseException(Object message) {
        throw new Raised(String.valueOf(message));
    }

    /**
     * {@code strftime_now(format)}: the local time in a Python {@code strftime} format (the
     * directives {@code %Y %m %d %e %B %b %A %a %H %I %M %S %p %j %%}).
     */
    @SuppressWarnings("unused")
    private static Object strftimeNow(Object format) {
        return strftime(String.valueOf(format), ZonedDateTime.now());
    }

    /**
     * Formats a time as Python's {@code strftime} does, for the directives listed at {@link
     * #strftimeNow}.
     *
     * @param format the format
     * @param t the time
     * @return the text
     * @throws IllegalArgumentException on another directive
     */
    static String strftime(String format, ZonedDateTime t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char d = format.charAt(++i);
            out.append(
                    switch (d) {
                        case 'Y' -> String.format(Locale.ROOT, "%04d", t.getYear());
                        case 'm' -> String.format(Locale.ROOT, "%02d", t.getMonthValue());
                        case 'd' -> String.format(Locale.ROOT, "%02d", t.getDayOfMonth());
                        case 'e' -> String.format(Locale.ROOT, "%2d", t.getDayOfMonth());
                        case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
                        case 'b' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
                        case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
                        case 'a' ->
                                t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
                        case 'H' -> String.format(Locale.ROOT, "%02d", t.getHour());
                        case 'I' -> String.format(Locale.ROOT, "%02d", (t.getHour() + 11) % 12 + 1);
                        case 'M' -> String.format(Locale.ROOT, "%02d", t.getMinute());
                        case 'S' -> String.format(Locale.ROOT, "%02d", t.getSecond());
                        case 'p' -> t.getHour() < 12 ? "AM" : "PM";
                        case 'j' -> String.format(Locale.ROOT, "%03d", t.getDayOfYear());
                        case '%' -> "%";
                        default ->
                                throw new IllegalArgumentException(
                                        "strftime_now: unsupported directive %" + d);
                    });
        }
        return out.toString();
    }
}
