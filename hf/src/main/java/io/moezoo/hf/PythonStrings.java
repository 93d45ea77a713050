package io.moezoo.hf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Python {@code str} methods that Hugging Face chat templates call ({@code content.strip()},
 * {@code content.startswith('<tool_response>')}, {@code content.split('</think>')[-1].lstrip('\n')}
 * ...), which Jinja2 runs as Python but jinjava would look up as Java methods. {@link #invoke}
 * implements them with Python's semantics; a method not listed here is refused (the template then
 * fails with an error naming it).
 */
final class PythonStrings {

    private PythonStrings() {}

    /**
     * Whether a method name is one of the implemented {@code str} methods.
     *
     * @param name the method name
     * @return true if {@link #invoke} implements it
     */
    static boolean supports(String name) {
        return switch (name) {
            case "strip",
                            "lstrip",
                            "rstrip",
                            "startswith",
                            "endswith",
                            "split",
                            "upper",
                            "lower",
                            "title",
                            "capitalize",
                            "replace" ->
                    true;
            default -> false;
        };
    }

    /**
     * Calls a {@code str} method.
     *
     * @param s the string
     * @param name the method, one {@link #supports} accepts
     * @param args its arguments
     * @return the result, as Python returns it (a list of strings for {@code split})
     * @throws IllegalArgumentException if the arguments do not fit the method
     */
    static Object invoke(String s, String name, Object[] args) {
        Object[] a = args == null ? new Object[0] : args;
        return switch (name) {
            case "strip" -> rstrip(lstrip(s, chars(a, name)), chars(a, name));
            case "lstrip" -> lstrip(s, chars(a, name));
            case "rstrip" -> rstrip(s, chars(a, name));
            case "startswith" -> affix(s, a, name, true);
            case "endswith" -> affix(s, a, name, false);
            case "split" -> split(s, a);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" ->
                    s.isEmpty()
                            ? s
                            : s.substring(0, 1).toUpperCase(Locale.ROOT)
                                    + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace" -> {
                arity(a, name, 2, 2);
                yield s.replace(text(a[0], name), text(a[1], name));
            }
            default -> throw new IllegalArgumentException("str." + name + "() is not supported");
        };
    }

    private static void arity(Object[] a, String name, int min, int max) {
        if (a.length < min || a.length > max) {
            throw new IllegalArgumentException(
                    "str." + name + "() takes " + min + ".." + max + " arguments, got " + a.length);
        }
    }

    private static String text(Object o, String name) {
        if (!(o instanceof String s)) {
            throw new IllegalArgumentException(
                    "str."
                            + name
                            + "() takes strings, got "
                            + (o == null ? "none" : o.getClass().getSimpleName()));
        }
        return s;
    }

    /** The characters to strip: null for whitespace. */
    private static String chars(Object[] a, String name) {
        arity(a, name, 0, 1);
        return a.length == 0 || a[0] == null ? null : text(a[0], name);
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    private static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length() && strippable(s.charAt(i), chars)) {
            i++;
        }
        return s.substring(i);
    }

    private static String rstrip(String s, String chars) {
        int j = s.length();
        while (j > 0 && strippable(s.charAt(j - 1), chars)) {
            j--;
        }
        return s.substring(0, j);
    }

    private static boolean affix(String s, Object[] a, String name, boolean start) {
        arity(a, name, 1, 1);
        List<String> options = new ArrayList<>();
        if (a[0] instanceof List<?> list) {
            for (Object o : list) {
                options.add(text(o, name));
            }
        } else {
            options.add(text(a[0], name));
        }
        for (String o : options) {
            if (start ? s.startsWith(o) : s.endsWith(o)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> split(String s, Object[] a) {
        arity(a, "split", 0, 2);
        String sep = a.length == 0 || a[0] == null ? null : text(a[0], "split");
        int max = a.length < 2 ? -1 : ((Number) a[1]).intValue();
        List<String> parts = new ArrayList<>();
        if (sep == null) {
            for (String p : s.strip().split("\\s+", max < 0 ? 0 : max + 1)) {
                if (!p.isEmpty()) {
                    parts.add(p);
                }
            }
            return parts;
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("str.split(): empty separator");
        }
        int from = 0;
        while (max < 0 || parts.size() < max) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }
}
