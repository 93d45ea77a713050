package io.moezoo.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed, strict access to the fields of a {@code config.json} object (or of a nested object such as
 * {@code rope_scaling}): an integer must be written as a JSON integer within its range (no
 * wrapping, no truncation of {@code 64.5}, no {@code "64"}, no {@code true}), a float must be a
 * finite JSON number within its range, a boolean a JSON boolean, a choice one of its accepted
 * strings. A null field counts as absent. Every error names the file and the field.
 */
final class ConfigFields {

    private final Path file;
    private final String prefix;
    private final JsonObject json;

    private ConfigFields(Path file, String prefix, JsonObject json) {
        this.file = file;
        this.prefix = prefix;
        this.json = json;
    }

    /**
     * Reads a bounded, strict UTF-8, strict-JSON {@code config.json} whose root is an object.
     *
     * @param configJson the file
     * @return its fields
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if it is not a regular file, too large, not UTF-8, not
     *     valid JSON or not an object
     */
    static ConfigFields read(Path configJson) throws IOException, MalformedCheckpointException {
        String text = CheckpointFiles.readUtf8(configJson, CheckpointFiles.MAX_CONFIG_BYTES);
        return parse(text, configJson);
    }

    /**
     * Parses config text (strict JSON, an object) that came from elsewhere, such as the metadata of
     * a GGUF file.
     *
     * @param text the JSON text
     * @param origin what errors name as the file
     * @return its fields
     * @throws MalformedCheckpointException if it is not valid JSON or not an object
     */
    static ConfigFields parse(String text, Path origin) throws MalformedCheckpointException {
        JsonElement root = StrictJson.parse(text, origin.toString());
        if (!root.isJsonObject()) {
            throw new MalformedCheckpointException(
                    origin + ": the root is " + StrictJson.describe(root) + ", not an object");
        }
        return new ConfigFields(origin, "", root.getAsJsonObject());
    }

    Path file() {
        return file;
    }

    boolean has(String name) {
        return json.has(name) && !json.get(name).isJsonNull();
    }

    boolean isArray(String name) {
        return has(name) && json.get(name).isJsonArray();
    }

    private String field(String name) {
        return "field '" + prefix + name + "'";
    }

    private JsonElement required(String name) throws MalformedCheckpointException {
        if (!has(name)) {
            throw error("missing " + field(name));
        }
        return json.get(name);
    }

    String string(String name) throws MalformedCheckpointException {
        JsonElement e = required(name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw error(field(name) + " must be a string, got " + StrictJson.describe(e));
        }
        return e.getAsString();
    }

    /** An optional string that must be one of the accepted values. */
    String choice(String name, String fallback, List<String> accepted)
            throws MalformedCheckpointException {
        if (!has(name)) {
            return fallback;
        }
        String value = string(name);
        if (!accepted.contains(value)) {
            throw error(
                    field(name)
                            + " is "
                            + StrictJson.quote(value)
                            + ", which is not supported; accepted: "
                            + String.join(", ", accepted));
        }
        return value;
    }

    int integer(String name, int min, int max) throws MalformedCheckpointException {
        JsonElement e = required(name);
        StrictJson.NumberLiteral n = literal(e);
        if (n == null || !n.isInteger()) {
            throw error(
                    field(name)
                            + " must be an integer in ["
                            + min
                            + ", "
                            + max
                            + "], got "
                            + StrictJson.describe(e));
        }
        BigDecimal value = n.exact();
        if (value.compareTo(BigDecimal.valueOf(min)) < 0
                || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw error(field(name) + " is " + n + ", outside [" + min + ", " + max + "]");
        }
        return value.intValueExact();
    }

    int integer(String name, int fallback, int min, int max) throws MalformedCheckpointException {
        return has(name) ? integer(name, min, max) : fallback;
    }

    double number(String name, double min, double max) throws MalformedCheckpointException {
        JsonElement e = required(name);
        StrictJson.NumberLiteral n = literal(e);
        if (n == null) {
            throw error(field(name) + " must be a number, got " + StrictJson.describe(e));
        }
        double value = n.doubleValue();
        if (!Double.isFinite(value)) {
            throw error(field(name) + " is " + n + ", not a finite number");
        }
        if (value < min || value > max) {
            throw error(field(name) + " is " + n + ", outside [" + min + ", " + max + "]");
        }
        return value;
    }

    double number(String name, double fallback, double min, double max)
            throws MalformedCheckpointException {
        return has(name) ? number(name, min, max) : fallback;
    }

    /** A finite number in (above, max]; a NaN fallback makes it required. */
    double positive(String name, double fallback, double above, double max)
            throws MalformedCheckpointException {
        if (!has(name)) {
            if (Double.isNaN(fallback)) {
                required(name);
            }
            return fallback;
        }
        double value = number(name, -Double.MAX_VALUE, Double.MAX_VALUE);
        if (!(value > above) || value > max) {
            throw error(
                    field(name)
                            + " is "
                            + literal(json.get(name))
                            + ", outside ("
                            + above
                            + ", "
                            + max
                            + "]");
        }
        return value;
    }

    boolean bool(String name, boolean fallback) throws MalformedCheckpointException {
        if (!has(name)) {
            return fallback;
        }
        JsonElement e = json.get(name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw error(field(name) + " must be true or false, got " + StrictJson.describe(e));
        }
        return e.getAsBoolean();
    }

    /** An optional nested object, or null when absent. */
    ConfigFields object(String name) throws MalformedCheckpointException {
        if (!has(name)) {
            return null;
        }
        JsonElement e = json.get(name);
        if (!e.isJsonObject()) {
            throw error(field(name) + " must be an object, got " + StrictJson.describe(e));
        }
        return new ConfigFields(file, prefix + name + ".", e.getAsJsonObject());
    }

    /** An optional array of integers in [min, max], empty when absent. */
    List<Integer> integers(String name, int min, int max, int maxCount)
            throws MalformedCheckpointException {
        List<Integer> out = new ArrayList<>();
        if (!has(name)) {
            return out;
        }
        JsonElement e = json.get(name);
        if (!e.isJsonArray()) {
            throw error(field(name) + " must be an array, got " + StrictJson.describe(e));
        }
        JsonArray array = e.getAsJsonArray();
        if (array.size() > maxCount) {
            throw error(field(name) + " has " + array.size() + " entries, more than " + maxCount);
        }
        for (int i = 0; i < array.size(); i++) {
            StrictJson.NumberLiteral n = literal(array.get(i));
            if (n == null
                    || !n.isInteger()
                    || n.exact().compareTo(BigDecimal.valueOf(min)) < 0
                    || n.exact().compareTo(BigDecimal.valueOf(max)) > 0) {
                throw error(
                        field(name)
                                + " entry "
                                + i
                                + " must be an integer in ["
                                + min
                                + ", "
                                + max
                                + "], got "
                                + StrictJson.describe(array.get(i)));
            }
            out.add(n.intValue());
        }
        return out;
    }

    /** An optional array of strings, each one of the accepted values; empty when absent. */
    List<String> strings(String name, List<String> accepted, int maxCount)
            throws MalformedCheckpointException {
        List<String> out = new ArrayList<>();
        if (!has(name)) {
            return out;
        }
        JsonElement e = json.get(name);
        if (!e.isJsonArray() || e.getAsJsonArray().size() > maxCount) {
            throw error(
                    field(name)
                            + " must be an array of at most "
                            + maxCount
                            + " strings, got "
                            + StrictJson.describe(e));
        }
        JsonArray array = e.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            JsonElement x = array.get(i);
            if (!x.isJsonPrimitive()
                    || !x.getAsJsonPrimitive().isString()
                    || !accepted.contains(x.getAsString())) {
                throw error(
                        field(name)
                                + " entry "
                                + i
                                + " is "
                                + StrictJson.describe(x)
                                + ", which is not supported; accepted: "
                                + String.join(", ", accepted));
            }
            out.add(x.getAsString());
        }
        return out;
    }

    private static StrictJson.NumberLiteral literal(JsonElement e) {
        if (e instanceof JsonPrimitive p
                && p.isNumber()
                && p.getAsNumber() instanceof StrictJson.NumberLiteral n) {
            return n;
        }
        return null;
    }

    MalformedCheckpointException error(String message) {
        return new MalformedCheckpointException(file + ": " + message);
    }

    /** An error about one field. */
    MalformedCheckpointException error(String name, String problem) {
        return error(field(name) + " " + problem);
    }
}
