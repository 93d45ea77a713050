package io.moezoo.blocks.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Reads specs that are plain records with every field required (no registered kinds, no defaults)
 * from JSON text or files, through {@link SpecCodec#readRecord}: one place for the parse errors and
 * the file name in messages.
 */
public final class SpecRecords {

    private SpecRecords() {}

    /**
     * Parses a record whose every field is required from JSON text.
     *
     * @param type the record class
     * @param json the JSON text
     * @param where the spec's name in messages, e.g. {@code "LM reward spec"}
     * @param <R> the record type
     * @return the validated record
     * @throws SpecJsonException if the text is not a JSON object, or naming the field that is
     *     unknown, missing or invalid
     */
    public static <R> R parseRecord(Class<R> type, String json, String where) {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new SpecJsonException("Invalid " + where + " JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isJsonObject()) {
            throw new SpecJsonException("Invalid " + where + ": expected a JSON object");
        }
        return SpecCodec.readRecord(type, tree.getAsJsonObject(), new JsonObject(), where);
    }

    /**
     * Reads a record whose every field is required from a JSON file ({@link #parseRecord}).
     *
     * @param type the record class
     * @param file the file
     * @param where the spec's name in messages
     * @param <R> the record type
     * @return the validated record
     * @throws java.io.IOException if the file cannot be read or is invalid (the message names the
     *     file)
     */
    public static <R> R readRecordFile(Class<R> type, java.nio.file.Path file, String where)
            throws java.io.IOException {
        try {
            return parseRecord(
                    type,
                    java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8),
                    where);
        } catch (IllegalArgumentException e) {
            throw new java.io.IOException(file + ": " + e.getMessage(), e);
        }
    }
}
