package io.moezoo.zoo.checkpoint;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file: an 8-byte little-endian header length N, N bytes of JSON header, then the
 * data section.
 *
 * <p>{@link #open} validates the whole header before anything is read: N within the file and at
 * most 100 MB, well-formed JSON, a known dtype, non-negative shape, offsets inside the data
 * section, byte length = elements × dtype size, and no two tensors overlapping. Tensor data is
 * memory-mapped one tensor at a time, so files larger than 2 GiB work and nothing is read twice.
 */
public final class SafetensorsFile {

    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private final Path path;
    private final long dataStart;
    private final long fileSize;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(
            Path path,
            long dataStart,
            long fileSize,
            Map<String, TensorInfo> tensors,
            Map<String, String> metadata) {
        this.path = path;
        this.dataStart = dataStart;
        this.fileSize = fileSize;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens and validates a file.
     *
     * @param path the file
     * @return the validated file
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file is not a valid safetensors file
     */
    public static SafetensorsFile open(Path path) throws IOException, MalformedCheckpointException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw malformed(
                        path, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw malformed(
                        path,
                        "header length "
                                + Long.toUnsignedString(headerLength)
                                + " does not fit the file of "
                                + size
                                + " bytes (or exceeds "
                                + MAX_HEADER
                                + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLength;
            return parse(path, json, dataStart, size);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("Unexpected end of file");
            }
            at += n;
        }
    }

    private static SafetensorsFile parse(Path path, String json, long dataStart, long fileSize)
            throws MalformedCheckpointException {
        JsonObject root;
        try {
            JsonElement element = JsonParser.parseString(json);
            if (!element.isJsonObject()) {
                throw malformed(path, "header is not a JSON object");
            }
            root = element.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new MalformedCheckpointException(
                    path + ": header is not valid JSON: " + e.getMessage(), e);
        }
        long dataSize = fileSize - dataStart;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : root.entrySet()) {
            String name = entry.getKey();
            if ("__metadata__".equals(name)) {
                if (!entry.getValue().isJsonObject()) {
                    throw malformed(path, "__metadata__ is not an object");
                }
                for (Map.Entry<String, JsonElement> m :
                        entry.getValue().getAsJsonObject().entrySet()) {
                    metadata.put(
                            m.getKey(),
                            m.getValue().isJsonPrimitive()
                                    ? m.getValue().getAsString()
                                    : m.getValue().toString());
                }
                continue;
            }
            tensors.put(name, tensor(path, name, entry.getValue(), dataStart, dataSize));
        }
        List<TensorInfo> byOffset = new ArrayList<>(tensors.values());
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < byOffset.size(); i++) {
            TensorInfo previous = byOffset.get(i - 1);
            TensorInfo current = byOffset.get(i);
            if (current.begin() < previous.begin() + previous.length()) {
                throw malformed(
                        path,
                        "tensors '"
                                + previous.name()
                                + "' and '"
                                + current.name()
                                + "' overlap in the data section");
            }
        }
        return new SafetensorsFile(
                path,
                dataStart,
                fileSize,
                Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo tensor(
            Path path, String name, JsonElement value, long dataStart, long dataSize)
            throws MalformedCheckpointException {
        String where = "tensor '" + name + "'";
        if (!value.isJsonObject()) {
            throw malformed(path, where + " is not an object");
        }
        JsonObject o = value.getAsJsonObject();
        JsonElement dtypeElement = o.get("dtype");
        if (dtypeElement == null || !dtypeElement.isJsonPrimitive()) {
            throw malformed(path, where + " has no dtype");
        }
        TensorDType dtype = TensorDType.parse(dtypeElement.getAsString());
        if (dtype == null) {
            throw malformed(
                    path, where + " has unknown dtype '" + dtypeElement.getAsString() + "'");
        }
        long[] shape = longs(path, where, o.get("shape"), "shape", -1);
        long[] offsets = longs(path, where, o.get("data_offsets"), "data_offsets", 2);
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw malformed(
                        path,
                        where
                                + " has a negative dimension in shape "
                                + java.util.Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < begin || end > dataSize) {
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
        long expected = Math.multiplyExact(elements, (long) dtype.bytes());
        if (end - begin != expected) {
            throw malformed(
                    path,
                    where
                            + " has "
                            + (end - begin)
                            + " bytes but shape "
                            + java.util.Arrays.toString(shape)
                            + " of "
                            + dtype
                            + " needs "
                            + expected);
        }
        return new TensorInfo(path, name, dtype, new Shape(shape), dataStart + begin, end - begin);
    }

    private static long[] longs(Path path, String where, JsonElement e, String field, int length)
            throws MalformedCheckpointException {
        if (e == null || !e.isJsonArray()) {
            throw malformed(path, where + " has no " + field + " array");
        }
        JsonArray array = e.getAsJsonArray();
        if (length >= 0 && array.size() != length) {
            throw malformed(path, where + " " + field + " must have " + length + " entries");
        }
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = array.get(i).getAsLong();
            } catch (RuntimeException ex) {
                throw malformed(path, where + " " + field + " holds a non-integer " + array.get(i));
            }
        }
        return out;
    }

    private static MalformedCheckpointException malformed(Path path, String message) {
        return new MalformedCheckpointException(path + ": " + message);
    }

    /**
     * Returns the file path.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the validated tensor entries by key, in header order.
     *
     * @return the tensors
     */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /**
     * Returns the {@code __metadata__} entries.
     *
     * @return the metadata
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns the offset of the data section.
     *
     * @return the data start
     */
    public long dataStart() {
        return dataStart;
    }

    /**
     * Maps a tensor's bytes (little-endian).
     *
     * @param tensor a tensor of this file
     * @return a read-only buffer over exactly the tensor's bytes
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file shrank since it was opened or the tensor is
     *     larger than 2 GiB
     */
    public ByteBuffer map(TensorInfo tensor) throws IOException, MalformedCheckpointException {
        if (tensor.length() > Integer.MAX_VALUE) {
            throw malformed(
                    path,
                    "tensor '"
                            + tensor.name()
                            + "' is larger than 2 GiB, which one mapping cannot hold");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            // Reading a mapping past the end of a file crashes the JVM (SIGBUS): check first.
            if (size != fileSize || tensor.begin() + tensor.length() > size) {
                throw malformed(
                        path,
                        "file changed size since it was opened ("
                                + fileSize
                                + " -> "
                                + size
                                + " bytes) while reading '"
                                + tensor.name()
                                + "'");
            }
            if (tensor.length() == 0) {
                return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, tensor.begin(), tensor.length())
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
