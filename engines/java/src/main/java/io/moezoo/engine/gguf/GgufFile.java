package io.moezoo.engine.gguf;

import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One GGUF file (version 2 or 3, little-endian), validated completely by {@link #open} before any
 * tensor is read: the magic and version; the tensor and key counts, every string length and array
 * length bounded (and checked against the bytes the file has left) before anything is allocated;
 * every metadata value of a known type; no duplicate key or tensor name; {@code general.alignment}
 * a UINT32 power of two; every tensor of 1 to 4 non-negative dimensions, a supported type ({@link
 * GgufType}), a row length that is a whole number of blocks, an aligned offset, its bytes inside
 * the file and overlapping no other tensor. Every problem is a {@link MalformedCheckpointException}
 * naming the file, the field and what is wrong.
 *
 * <p>Tensor data is memory-mapped read-only on request, one mapping per tensor or, for tensors over
 * 2 GiB, one per chunk of whole rows.
 */
public final class GgufFile {

    /** The magic "GGUF" read as a little-endian u32. */
    public static final int MAGIC = 0x46554747;

    /** The most metadata keys accepted. */
    public static final long MAX_KEYS = 1 << 16;

    /** The most tensors accepted. */
    public static final long MAX_TENSORS = 1 << 20;

    /** The longest string accepted (bytes), keys and values alike. */
    public static final long MAX_STRING = 1 << 24;

    /**
     * The most metadata array elements accepted, all arrays together (a 256k-token vocabulary with
     * scores, types and merges has about a million).
     */
    public static final long MAX_ARRAY = 1 << 22;

    /** The most bytes the header (metadata and tensor infos) may take. */
    public static final long MAX_HEADER = 1L << 29;

    /** The longest tensor name llama.cpp accepts (GGML_MAX_NAME 64 including the NUL). */
    public static final int MAX_NAME = 63;

    /** The default alignment of the data section and of every tensor. */
    public static final int DEFAULT_ALIGNMENT = 32;

    static final long MAX_CHUNK = Integer.MAX_VALUE;

    private final Path path;
    private final int version;
    private final long fileSize;
    private final long alignment;
    private final long dataStart;
    private final Map<String, GgufValue> metadata;
    private final Map<String, GgufTensorInfo> tensors;

    private GgufFile(
            Path path,
            int version,
            long fileSize,
            long alignment,
            long dataStart,
            Map<String, GgufValue> metadata,
            Map<String, GgufTensorInfo> tensors) {
        this.path = path;
        this.version = version;
        this.fileSize = fileSize;
        this.alignment = alignment;
        this.dataStart = dataStart;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /**
     * Opens and validates a file.
     *
     * @param path the file
     * @return the validated file
     * @throws IOException if it cannot be read
     * @throws MalformedCheckpointException if it is not a valid GGUF file of supported types
     */
    public static GgufFile open(Path path) throws IOException, MalformedCheckpointException {
        CheckpointFiles.requireRegularFile(path, Long.MAX_VALUE);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            GgufHeaderReader in = new GgufHeaderReader(path, channel, size, MAX_HEADER);
            if (size < 24) {
                throw in.error("header", "the file is " + size + " bytes, too short for GGUF");
            }
            long magic = in.u32("magic");
            if (magic != (MAGIC & 0xffffffffL)) {
                throw in.error(
                        "magic", String.format("0x%08x is not \"GGUF\" (0x%08x)", magic, MAGIC));
            }
            long version = in.u32("version");
            if (version != 2 && version != 3) {
                throw in.error(
                        "version",
                        (Long.reverseBytes(version) >>> 32 == 3
                                        ? "the file is big-endian, which is not supported"
                                        : Long.toUnsignedString(version) + " is not supported")
                                + " (only little-endian versions 2 and 3)");
            }
            long tensorCount = in.count("tensor_count", MAX_TENSORS, 32);
            long keyCount = in.count("kv_count", MAX_KEYS, 13);
            Map<String, GgufValue> metadata = new LinkedHashMap<>();
            for (long i = 0; i < keyCount; i++) {
                String key = in.string("metadata key #" + i, MAX_STRING);
                String field = "metadata '" + printable(key) + "'";
                if (key.isEmpty()) {
                    throw in.error(field, "the key is empty");
                }
                long typeId = in.u32(field + " type");
                GgufValueType type = GgufValueType.of(typeId);
                if (type == null) {
                    throw in.error(field, "value type " + typeId + " is unknown");
                }
                GgufValue value = in.value(type, field, MAX_STRING, MAX_ARRAY);
                if (metadata.putIfAbsent(key, value) != null) {
                    throw in.error(field, "the key appears twice");
                }
            }
            long alignment = alignment(in, metadata.get("general.alignment"));
            List<GgufTensorInfo> infos = GgufTensorTable.read(in, tensorCount, alignment);
            long dataStart = align(in.position(), alignment);
            if (dataStart > size) {
                throw in.error(
                        "data section",
                        "starts at byte "
                                + dataStart
                                + ", past the end of the file ("
                                + size
                                + ")");
            }
            Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
            for (GgufTensorInfo t : infos) {
                if (t.offset() > size - dataStart || t.bytes() > size - dataStart - t.offset()) {
                    throw in.error(
                            "tensor '" + t.name() + "' offset",
                            "bytes ["
                                    + t.offset()
                                    + ", "
                                    + (t.offset() + t.bytes())
                                    + ") of the data section lie outside the file (data section"
                                    + " of "
                                    + (size - dataStart)
                                    + " bytes)");
                }
                GgufTensorInfo placed =
                        new GgufTensorInfo(
                                t.name(),
                                t.type(),
                                t.ne(),
                                t.offset(),
                                dataStart + t.offset(),
                                t.bytes());
                tensors.put(t.name(), placed);
            }
            GgufTensorTable.checkOverlaps(in, infos);
            return new GgufFile(
                    path,
                    (int) version,
                    size,
                    alignment,
                    dataStart,
                    Collections.unmodifiableMap(metadata),
                    Collections.unmodifiableMap(tensors));
        }
    }

    private static long alignment(GgufHeaderReader in, GgufValue value)
            throws MalformedCheckpointException {
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (value.type() != GgufValueType.UINT32) {
            throw in.error("metadata 'general.alignment'", "must be a UINT32, not " + value);
        }
        long a = value.asLong();
        if (a == 0 || (a & (a - 1)) != 0 || a > (1 << 20)) {
            throw in.error(
                    "metadata 'general.alignment'", a + " is not a power of two of at most 2^20");
        }
        return a;
    }

    static long align(long position, long alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    /** A name for messages: control characters escaped, at most 80 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > 80 ? b + "…" : b.toString();
    }

    /**
     * Returns the file.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the GGUF version.
     *
     * @return 2 or 3
     */
    public int version() {
        return version;
    }

    /**
     * Returns the file size when it was opened.
     *
     * @return the bytes
     */
    public long fileSize() {
        return fileSize;
    }

    /**
     * Returns the alignment of the data section and tensors.
     *
     * @return the alignment
     */
    public long alignment() {
        return alignment;
    }

    /**
     * Returns the absolute position of the data section.
     *
     * @return the data start
     */
    public long dataStart() {
        return dataStart;
    }

    /**
     * Returns the metadata in file order.
     *
     * @return the key-value pairs
     */
    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    /**
     * Returns the tensors by name, in file order.
     *
     * @return the tensors
     */
    public Map<String, GgufTensorInfo> tensors() {
        return tensors;
    }

    /**
     * Maps a tensor's bytes as chunks of whole rows (ne[0] elements), each under 2 GiB.
     *
     * @param tensor a tensor of this file
     * @return the chunks and the rows each holds
     * @throws IOException if the file cannot be mapped
     * @throws MalformedCheckpointException if the file changed size since it was opened, or a row
     *     or the row count is too large for a matrix
     */
    public MappedRows map(GgufTensorInfo tensor) throws IOException, MalformedCheckpointException {
        return map(tensor, MAX_CHUNK);
    }

    MappedRows map(GgufTensorInfo tensor, long maxChunk)
            throws IOException, MalformedCheckpointException {
        if (tensors.get(tensor.name()) != tensor && !tensor.equals(tensors.get(tensor.name()))) {
            throw new IllegalArgumentException(tensor.name() + " is not a tensor of " + path);
        }
        long rowBytes = tensor.type().bytes(tensor.cols());
        long rows = tensor.rows();
        if (rowBytes > maxChunk || rows > Integer.MAX_VALUE || tensor.cols() > Integer.MAX_VALUE) {
            throw new MalformedCheckpointException(
                    path
                            + ": tensor '"
                            + tensor.name()
                            + "' has "
                            + rows
                            + " rows of "
                            + rowBytes
                            + " bytes, more than a matrix can hold");
        }
        if (tensor.bytes() == 0) {
            return new MappedRows(new ByteBuffer[0], 1);
        }
        int rowsPerChunk = (int) Math.min(rows, maxChunk / rowBytes);
        int chunkCount = (int) ((rows + rowsPerChunk - 1) / rowsPerChunk);
        ByteBuffer[] chunks = new ByteBuffer[chunkCount];
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            // A mapping read past the end of a shrunk file crashes the JVM (SIGBUS): check first.
            if (size != fileSize) {
                throw new MalformedCheckpointException(
                        path
                                + ": the file changed size since it was opened ("
                                + fileSize
                                + " -> "
                                + size
                                + " bytes) while reading '"
                                + tensor.name()
                                + "'");
            }
            for (int c = 0; c < chunkCount; c++) {
                long first = (long) c * rowsPerChunk;
                long count = Math.min(rowsPerChunk, rows - first);
                chunks[c] =
                        channel.map(
                                        FileChannel.MapMode.READ_ONLY,
                                        tensor.position() + first * rowBytes,
                                        count * rowBytes)
                                .order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        return new MappedRows(chunks, rowsPerChunk);
    }

    /**
     * A tensor's mapped bytes.
     *
     * @param chunks read-only little-endian buffers of whole rows
     * @param rowsPerChunk the rows of every chunk but the last
     */
    public record MappedRows(ByteBuffer[] chunks, int rowsPerChunk) {}
}
