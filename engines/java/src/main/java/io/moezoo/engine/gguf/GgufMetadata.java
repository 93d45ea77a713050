package io.moezoo.engine.gguf;

import io.moezoo.formats.MalformedCheckpointException;
import java.util.Map;

/**
 * Typed reads of a GGUF file's metadata for the importers: integers of any integer type within a
 * range, floats of either float type, booleans and strings; a missing required key or a value of
 * the wrong type is a {@link MalformedCheckpointException} naming the file and the key.
 */
final class GgufMetadata {

    private final String origin;
    private final Map<String, GgufValue> values;

    GgufMetadata(String origin, Map<String, GgufValue> values) {
        this.origin = origin;
        this.values = values;
    }

    String origin() {
        return origin;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    MalformedCheckpointException error(String key, String problem) {
        return new MalformedCheckpointException(origin + ": metadata '" + key + "' " + problem);
    }

    private GgufValue required(String key) throws MalformedCheckpointException {
        GgufValue v = values.get(key);
        if (v == null) {
            throw error(key, "is missing");
        }
        if (v.type() == GgufValueType.ARRAY) {
            throw error(key, "is an array (per-layer values are not supported), expected a scalar");
        }
        return v;
    }

    int integer(String key, long min, long max) throws MalformedCheckpointException {
        GgufValue v = required(key);
        if (!v.isInteger()) {
            throw error(key, "must be an integer, got " + v);
        }
        long n = v.asLong();
        boolean unsigned64 = v.type() == GgufValueType.UINT64 && n < 0;
        if (unsigned64 || n < min || n > max || n > Integer.MAX_VALUE) {
            throw error(
                    key,
                    "is "
                            + (unsigned64 ? Long.toUnsignedString(n) : n)
                            + ", outside ["
                            + min
                            + ", "
                            + max
                            + "]");
        }
        return (int) n;
    }

    int integer(String key, int fallback, long min, long max) throws MalformedCheckpointException {
        return has(key) ? integer(key, min, max) : fallback;
    }

    float number(String key) throws MalformedCheckpointException {
        GgufValue v = required(key);
        if (v.type() != GgufValueType.FLOAT32 && v.type() != GgufValueType.FLOAT64) {
            throw error(key, "must be a float, got " + v);
        }
        double d = v.asDouble();
        if (!Double.isFinite(d)) {
            throw error(key, "is " + d + ", not finite");
        }
        return (float) d;
    }

    float number(String key, float fallback) throws MalformedCheckpointException {
        return has(key) ? number(key) : fallback;
    }

    boolean bool(String key, boolean fallback) throws MalformedCheckpointException {
        if (!has(key)) {
            return fallback;
        }
        GgufValue v = required(key);
        if (v.type() != GgufValueType.BOOL) {
            throw error(key, "must be a bool, got " + v);
        }
        return (Boolean) v.value();
    }

    /** The length of an array value, or -1 when the key is absent or not an array. */
    int arrayLength(String key) {
        GgufValue v = values.get(key);
        return v != null && v.type() == GgufValueType.ARRAY ? v.asList().size() : -1;
    }

    String string(String key) throws MalformedCheckpointException {
        GgufValue v = required(key);
        if (v.type() != GgufValueType.STRING) {
            throw error(key, "must be a string, got " + v);
        }
        return (String) v.value();
    }
}
