package io.moezoo.hf;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the Jinja2 construct that jinjava parses differently: a keyword argument whose value is
 * an expression with operators, such as Qwen3's {@code namespace(last_query_index=messages|length -
 * 1)}, which jinjava reads as {@code (last_query_index=messages|length) - 1}. Inside {@code {% %}}
 * and {@code {{ }}} tags only, the value of each {@code name=value} argument is put in parentheses;
 * text outside tags is left alone.
 */
final class Jinja2Compat {

    /** A tag, block or expression. */
    private static final Pattern TAG = Pattern.compile("\\{[%{].*?[%}]\\}", Pattern.DOTALL);

    private Jinja2Compat() {}

    /**
     * Rewrites a template's source.
     *
     * @param source the template
     * @return the source jinjava reads as Jinja2 would
     */
    static String rewrite(String source) {
        Matcher tags = TAG.matcher(source);
        StringBuilder out = new StringBuilder(source.length() + 16);
        while (tags.find()) {
            String tag = keywordArguments(tags.group()).replace("[::-1]", "|reverse");
            tags.appendReplacement(out, Matcher.quoteReplacement(tag));
        }
        tags.appendTail(out);
        return out.toString();
    }

    /**
     * Jinja2's {@code lstrip_blocks}: the spaces and tabs between the start of a line and a block
     * or comment tag are removed (not before {@code {%+}).
     *
     * @param source the template
     * @return the template without those spaces
     */
    static String lstripBlocks(String source) {
        return LSTRIP.matcher(source).replaceAll("");
    }

    /** Blanks from a line's start up to a block or comment tag. */
    private static final Pattern LSTRIP = Pattern.compile("(?m)^[ \\t]+(?=\\{%(?!\\+)|\\{#)");

    /** Puts the values of {@code name=value} call arguments of one tag in parentheses. */
    static String keywordArguments(String tag) {
        StringBuilder out = new StringBuilder(tag.length() + 8);
        int n = tag.length();
        int i = 0;
        char previous = 0;
        while (i < n) {
            char c = tag.charAt(i);
            if (c == '\'' || c == '"') {
                int end = skipString(tag, i);
                out.append(tag, i, end);
                previous = c;
                i = end;
                continue;
            }
            if ((previous == '(' || previous == ',') && Character.isJavaIdentifierStart(c)) {
                int j = i;
                while (j < n && Character.isJavaIdentifierPart(tag.charAt(j))) {
                    j++;
                }
                int k = j;
                while (k < n && tag.charAt(k) == ' ') {
                    k++;
                }
                if (k < n && tag.charAt(k) == '=' && (k + 1 == n || tag.charAt(k + 1) != '=')) {
                    int end = valueEnd(tag, k + 1);
                    out.append(tag, i, k + 1).append('(').append(tag, k + 1, end).append(')');
                    previous = ')';
                    i = end;
                    continue;
                }
            }
            out.append(c);
            if (!Character.isWhitespace(c)) {
                previous = c;
            }
            i++;
        }
        return out.toString();
    }

    /** The index after a quoted string that starts at {@code start}. */
    private static int skipString(String s, int start) {
        char quote = s.charAt(start);
        int i = start + 1;
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, s.length());
    }

    /** The index of the {@code ,} or {@code )} that ends an argument value at depth 0. */
    private static int valueEnd(String s, int start) {
        int depth = 0;
        int i = start;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipString(s, i);
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
            i++;
        }
        return i;
    }
}
