package io.moezoo.formats;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Parses untrusted JSON (RFC 8259, nothing lenient) into a Gson tree: no comments, {@code NaN},
 * unquoted or single-quoted text, trailing data or duplicate object keys; nesting at most {@value
 * #MAX_DEPTH} levels (so a deeply nested file is an error, not a stack overflow); number literals
 * at most {@value #MAX_NUMBER_LENGTH} characters, kept exactly as written ({@link NumberLiteral})
 * so that a reader can tell {@code 64} from {@code 64.0} and {@code 1e9} and never wraps or
 * truncates.
 */
public final class StrictJson {

    /** The deepest nesting of objects and arrays accepted. */
    public static final int MAX_DEPTH = 64;

    /** The longest number literal accepted, in characters. */
    public static final int MAX_NUMBER_LENGTH = 100;

    private static final int MAX_QUOTED = 80;

    private static final int MAX_MESSAGE = 200;

    private StrictJson() {}

    /**
     * Parses one JSON value.
     *
     * @param text the JSON text
     * @param where what the text is (a file name), for messages
     * @return the tree; numbers are {@link NumberLiteral}s
     * @throws MalformedCheckpointException naming {@code where} and the problem
     */
    public static JsonElement parse(String text, String where) throws MalformedCheckpointException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        reader.setNestingLimit(MAX_DEPTH + 1);
        JsonElement root;
        try {
            root = read(reader, 0, where);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new MalformedCheckpointException(where + ": not valid JSON: " + message(e), e);
        }
        try {
            if (reader.peek() == JsonToken.END_DOCUMENT) {
                return root;
            }
        } catch (IOException | IllegalStateException e) {
            // reported below
        }
        throw new MalformedCheckpointException(
                where + ": not valid JSON: data after the JSON value");
    }

    private static JsonElement read(JsonReader reader, int depth, String where)
            throws IOException, MalformedCheckpointException {
        JsonToken token = reader.peek();
        switch (token) {
            case BEGIN_OBJECT:
                {
                    checkDepth(depth, where);
                    JsonObject object = new JsonObject();
                    reader.beginObject();
                    while (reader.hasNext()) {
                        String name = reader.nextName();
                        if (object.has(name)) {
                            throw new MalformedCheckpointException(
                                    where + ": not valid JSON: duplicate key " + quote(name));
                        }
                        object.add(name, read(reader, depth + 1, where));
                    }
                    reader.endObject();
                    return object;
                }
            case BEGIN_ARRAY:
                {
                    checkDepth(depth, where);
                    JsonArray array = new JsonArray();
                    reader.beginArray();
                    while (reader.hasNext()) {
                        array.add(read(reader, depth + 1, where));
                    }
                    reader.endArray();
                    return array;
                }
            case STRING:
                return new JsonPrimitive(reader.nextString());
            case NUMBER:
                return new JsonPrimitive(number(reader.nextString(), where));
            case BOOLEAN:
                return new JsonPrimitive(reader.nextBoolean());
            case NULL:
                reader.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new MalformedCheckpointException(
                        where
                                + ": not valid JSON: unexpected "
                                + token
                                + " at "
                                + reader.getPath());
        }
    }

    private static void checkDepth(int depth, String where) throws MalformedCheckpointException {
        if (depth >= MAX_DEPTH) {
            throw new MalformedCheckpointException(
                    where + ": not valid JSON: nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private static NumberLiteral number(String literal, String where)
            throws MalformedCheckpointException {
        if (literal.length() > MAX_NUMBER_LENGTH) {
            throw new MalformedCheckpointException(
                    where
                            + ": not valid JSON: a number literal of "
                            + literal.length()
                            + " characters (at most "
                            + MAX_NUMBER_LENGTH
                            + ")");
        }
        try {
            return new NumberLiteral(literal);
        } catch (NumberFormatException e) {
            throw new MalformedCheckpointException(
                    where + ": not valid JSON: number " + quote(literal) + " is out of range", e);
        }
    }

    /**
     * Quotes untrusted text for a one-line message: control characters escaped, at most 80
     * characters.
     *
     * @param text the text
     * @return {@code "text"}, escaped and shortened
     */
    public static String quote(String text) {
        return quote(text, '"');
    }

    /**
     * Quotes an untrusted key or name for a one-line message, in single quotes.
     *
     * @param text the name
     * @return {@code 'text'}, escaped and shortened
     */
    public static String name(String text) {
        return quote(text, '\'');
    }

    private static String quote(String text, char mark) {
        return mark + escape(text, mark, MAX_QUOTED) + mark;
    }

    /** Escapes control characters (and the quote mark, if any) and shortens to max chars. */
    private static String escape(String text, char mark, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (i == max) {
                out.append("...");
                break;
            }
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || Character.isSurrogate(c);
            if (control || (mark != 0 && (c == mark || c == '\\'))) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Describes a JSON value for a message: its kind and, for scalars, its (quoted) text.
     *
     * @param value the value
     * @return e.g. {@code the string "64"}, {@code the boolean true}, {@code an object}
     */
    public static String describe(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return "null";
        }
        if (value.isJsonObject()) {
            return "an object";
        }
        if (value.isJsonArray()) {
            return "an array";
        }
        JsonPrimitive p = value.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return "the boolean " + p.getAsBoolean();
        }
        if (p.isString()) {
            return "the string " + quote(p.getAsString());
        }
        return p.getAsNumber().toString();
    }

    /**
     * Returns the first line of a JSON parser's message, with Gson's advice to parse leniently
     * replaced by what it means.
     *
     * @param e the parser's exception
     * @return a one-line description
     */
    public static String message(Exception e) {
        String message = e.getMessage();
        if (message == null) {
            return "malformed JSON";
        }
        int end = message.indexOf('\n');
        String line =
                (end < 0 ? message : message.substring(0, end))
                        .replace(
                                "Use JsonReader.setStrictness(Strictness.LENIENT) to accept"
                                        + " malformed JSON",
                                "malformed JSON");
        // The parser's path repeats untrusted keys: escape them and keep the line short.
        return escape(line, (char) 0, MAX_MESSAGE);
    }

    /**
     * A JSON number exactly as written. {@link #toString()} is the literal; {@link #intValue()} and
     * {@link #longValue()} are exact or throw {@link ArithmeticException} (never wrap or truncate);
     * {@link #doubleValue()} may be infinite for a huge literal.
     */
    public static final class NumberLiteral extends Number {

        private static final long serialVersionUID = 1L;

        private final String literal;
        private final BigDecimal value;

        /**
         * Parses a literal.
         *
         * @param literal a JSON number literal
         * @throws NumberFormatException if it is not a number or its exponent is out of range
         */
        public NumberLiteral(String literal) {
            this.literal = literal;
            this.value = new BigDecimal(literal);
        }

        /**
         * Returns whether the literal is written as an integer (no fraction, no exponent), as
         * Python's {@code json} module would read an {@code int}.
         *
         * @return true for {@code 64}, false for {@code 64.0} or {@code 1e9}
         */
        public boolean isInteger() {
            for (int i = 0; i < literal.length(); i++) {
                char c = literal.charAt(i);
                if (c == '.' || c == 'e' || c == 'E') {
                    return false;
                }
            }
            return true;
        }

        /**
         * Returns the exact value.
         *
         * @return the value
         */
        public BigDecimal exact() {
            return value;
        }

        /**
         * Returns the value as an integer if it is written as one.
         *
         * @return the integer
         * @throws ArithmeticException if it is not written as an integer
         */
        public BigInteger toBigInteger() {
            if (!isInteger()) {
                throw new ArithmeticException(literal + " is not an integer");
            }
            return value.toBigIntegerExact();
        }

        /** {@inheritDoc} */
        @Override
        public int intValue() {
            return toBigInteger().intValueExact();
        }

        /** {@inheritDoc} */
        @Override
        public long longValue() {
            return toBigInteger().longValueExact();
        }

        /** {@inheritDoc} */
        @Override
        public float floatValue() {
            return value.floatValue();
        }

        /** {@inheritDoc} */
        @Override
        public double doubleValue() {
            return value.doubleValue();
        }

        /** {@inheritDoc} */
        @Override
        public String toString() {
            return literal;
        }
    }
}
