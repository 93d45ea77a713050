package io.moezoo.formats;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated JSON header of a safetensors file, parsed as a stream (a header may hold up to 100
 * MB): entries in header order with offsets relative to the data section, which they tile exactly.
 * See {@link SafetensorsFile} for the rules.
 *
 * @param tensors the tensor entries, in header order
 * @param metadata the {@code __metadata__} strings
 */
record SafetensorsHeader(List<Entry> tensors, Map<String, String> metadata) {

    /** The header key of the free-form metadata. */
    static final String METADATA = "__metadata__";

    /**
     * One tensor entry.
     *
     * @param name the key
     * @param dtype the dtype
     * @param shape the shape
     * @param begin the first byte in the data section
     * @param end one past the last byte
     */
    record Entry(String name, TensorDType dtype, long[] shape, long begin, long end) {}

    /**
     * Parses and validates a header.
     *
     * @param path the file, for messages
     * @param text the header text (exactly the header's bytes, strictly decoded)
     * @param dataSize the size of the data section
     * @return the header
     * @throws CharacterCodingException if the header is not valid UTF-8
     * @throws MalformedCheckpointException if the header is invalid
     */
    static SafetensorsHeader parse(Path path, Reader text, long dataSize)
            throws CharacterCodingException, MalformedCheckpointException {
        JsonReader reader = new JsonReader(text);
        reader.setStrictness(Strictness.STRICT);
        // Unknown fields are skipped, not read: still bound their nesting.
        reader.setNestingLimit(StrictJson.MAX_DEPTH);
        List<Entry> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try {
            if (reader.peek() != JsonToken.BEGIN_OBJECT) {
                throw malformed(path, "header is not a JSON object");
            }
            reader.beginObject();
            Set<String> names = new HashSet<>();
            while (reader.hasNext()) {
                String name = reader.nextName();
                if (!names.add(name)) {
                    throw malformed(path, "header has a duplicate key " + StrictJson.name(name));
                }
                if (METADATA.equals(name)) {
                    metadata(path, reader, metadata);
                } else {
                    tensors.add(tensor(path, name, reader, dataSize));
                }
            }
            reader.endObject();
        } catch (CharacterCodingException e) {
            throw e;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new MalformedCheckpointException(
                    path + ": header is not valid JSON: " + StrictJson.message(e), e);
        }
        boolean end;
        try {
            end = reader.peek() == JsonToken.END_DOCUMENT;
        } catch (CharacterCodingException e) {
            throw e;
        } catch (IOException | IllegalStateException e) {
            end = false;
        }
        if (!end) {
            throw malformed(path, "header is not valid JSON: data after the header object");
        }
        tile(path, tensors, dataSize);
        return new SafetensorsHeader(tensors, metadata);
    }

    private static void metadata(Path path, JsonReader reader, Map<String, String> out)
            throws IOException, MalformedCheckpointException {
        if (reader.peek() == JsonToken.NULL) {
            reader.nextNull();
            return;
        }
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw malformed(path, METADATA + " is not an object");
        }
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            if (out.containsKey(key)) {
                throw malformed(path, METADATA + " has a duplicate key " + StrictJson.quote(key));
            }
            if (reader.peek() != JsonToken.STRING) {
                throw malformed(
                        path,
                        METADATA
                                + " value of "
                                + StrictJson.quote(key)
                                + " is not a string (only string -> string entries are allowed)");
            }
            out.put(key, reader.nextString());
        }
        reader.endObject();
    }

    private static Entry tensor(Path path, String name, JsonReader reader, long dataSize)
            throws IOException, MalformedCheckpointException {
        String where = "tensor " + StrictJson.name(name);
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw malformed(path, where + " is not an object");
        }
        TensorDType dtype = null;
        long[] shape = null;
        long[] offsets = null;
        reader.beginObject();
        while (reader.hasNext()) {
            String field = reader.nextName();
            switch (field) {
                case "dtype":
                    if (dtype != null) {
                        throw malformed(path, where + " has two dtype fields");
                    }
                    dtype = dtype(path, where, reader);
                    break;
                case "shape":
                    if (shape != null) {
                        throw malformed(path, where + " has two shape fields");
                    }
                    shape = integers(path, where, "shape", reader, -1);
                    break;
                case "data_offsets":
                    if (offsets != null) {
                        throw malformed(path, where + " has two data_offsets fields");
                    }
                    offsets = integers(path, where, "data_offsets", reader, 2);
                    break;
                default:
                    // The reference implementation ignores unknown fields.
                    reader.skipValue();
            }
        }
        reader.endObject();
        if (dtype == null || shape == null || offsets == null) {
            throw malformed(
                    path,
                    where
                            + " lacks "
                            + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin || end > dataSize) {
            throw malformed(
                    path,
                    where
                            + " has data_offsets ["
                            + begin
                            + ", "
                            + end
                            + "] outside the data section of "
                            + dataSize
                            + " bytes");
        }
        long expected;
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            expected = Math.multiplyExact(elements, (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw malformed(
                    path,
                    where
                            + " has shape "
                            + Arrays.toString(shape)
                            + " whose byte size overflows 64 bits");
        }
        if (end - begin != expected) {
            throw malformed(
                    path,
                    where
                            + " has "
                            + (end - begin)
                            + " bytes but shape "
                            + Arrays.toString(shape)
                            + " of "
                            + dtype
                            + " needs "
                            + expected);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static TensorDType dtype(Path path, String where, JsonReader reader)
            throws IOException, MalformedCheckpointException {
        if (reader.peek() != JsonToken.STRING) {
            throw malformed(path, where + " has a dtype that is not a string");
        }
        String name = reader.nextString();
        TensorDType dtype = TensorDType.parse(name);
        if (dtype == null) {
            throw malformed(
                    path,
                    where
                            + " has unknown dtype "
                            + StrictJson.name(name)
                            + " (supported: "
                            + Arrays.toString(TensorDType.values())
                            + ")");
        }
        return dtype;
    }

    private static long[] integers(
            Path path, String where, String field, JsonReader reader, int length)
            throws IOException, MalformedCheckpointException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw malformed(path, where + " has no " + field + " array");
        }
        List<Long> values = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            if (reader.peek() != JsonToken.NUMBER) {
                throw malformed(path, where + " " + field + " holds a non-integer");
            }
            String literal = reader.nextString();
            if (literal.startsWith("-")) {
                throw malformed(
                        path,
                        where
                                + " has a negative "
                                + (field.equals("shape") ? "dimension" : "offset")
                                + " "
                                + StrictJson.quote(literal)
                                + " in "
                                + field);
            }
            if (!literal.chars().allMatch(c -> c >= '0' && c <= '9') || literal.length() > 19) {
                throw malformed(
                        path,
                        where
                                + " "
                                + field
                                + " holds "
                                + StrictJson.quote(literal)
                                + ", not an integer below 2^63");
            }
            values.add(Long.parseLong(literal));
            if (length >= 0 && values.size() > length) {
                break;
            }
        }
        if (length >= 0 && values.size() != length) {
            throw malformed(path, where + " " + field + " must have " + length + " entries");
        }
        reader.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** The tensors, sorted by (begin, end), must cover [0, dataSize) exactly once. */
    private static void tile(Path path, List<Entry> tensors, long dataSize)
            throws MalformedCheckpointException {
        List<Entry> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin() < covered) {
                throw malformed(
                        path,
                        "tensors "
                                + StrictJson.name(previous.name())
                                + " and "
                                + StrictJson.name(e.name())
                                + " overlap in the data section (bytes ["
                                + e.begin()
                                + ", "
                                + Math.min(covered, e.end())
                                + ") are shared)");
            }
            if (e.begin() > covered) {
                throw malformed(
                        path,
                        "hole in the data section: bytes ["
                                + covered
                                + ", "
                                + e.begin()
                                + ") before tensor "
                                + StrictJson.name(e.name())
                                + " belong to no tensor");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize) {
            throw malformed(
                    path,
                    (dataSize - covered)
                            + " trailing bytes: the tensors end at byte "
                            + covered
                            + " of a data section of "
                            + dataSize
                            + " bytes (the last tensor must end at the end of the file)");
        }
    }

    private static MalformedCheckpointException malformed(Path path, String message) {
        return new MalformedCheckpointException(path + ": " + message);
    }
}
