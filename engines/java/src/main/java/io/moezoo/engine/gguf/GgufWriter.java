package io.moezoo.engine.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF version 3 file: the metadata, the tensor infos, then every tensor's data in info
 * order, each padded with zeros to the alignment (32 unless {@link #alignment} says otherwise), as
 * llama.cpp expects ("offsets are the running sum of padded sizes"). Tensor data is streamed from
 * {@link TensorData} callbacks through a 1 MiB buffer, so memory stays bounded whatever the model
 * size; the file appears atomically (written to a temporary file next to it, then moved).
 */
public final class GgufWriter {

    /** Produces one tensor's bytes, in ggml order, exactly as many as its type and shape take. */
    @FunctionalInterface
    public interface TensorData {

        /**
         * Writes the bytes.
         *
         * @param out where to write them
         * @throws IOException if the data cannot be produced or written
         */
        void write(TensorOutput out) throws IOException;
    }

    /** The sink of one tensor's bytes. */
    public interface TensorOutput {

        /**
         * Writes bytes.
         *
         * @param bytes the bytes from their position to their limit (consumed)
         * @throws IOException if the file cannot be written
         */
        void write(ByteBuffer bytes) throws IOException;
    }

    private record Tensor(String name, GgufType type, long[] ne, long bytes, TensorData data) {}

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Map<String, Boolean> names = new LinkedHashMap<>();
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;

    /** Creates an empty writer. */
    public GgufWriter() {}

    /**
     * Sets the alignment (written as {@code general.alignment} when not 32).
     *
     * @param alignment a power of two
     * @return this writer
     */
    public GgufWriter alignment(int alignment) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(alignment + " is not a power of two");
        }
        this.alignment = alignment;
        return this;
    }

    /**
     * Adds or replaces a metadata value.
     *
     * @param key the key
     * @param value the value
     * @return this writer
     */
    public GgufWriter put(String key, GgufValue value) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("empty metadata key");
        }
        metadata.put(key, value);
        return this;
    }

    /**
     * Returns the metadata added so far.
     *
     * @return the key-value pairs
     */
    public Map<String, GgufValue> metadata() {
        return metadata;
    }

    /**
     * Adds a tensor.
     *
     * @param name the tensor name (at most 63 UTF-8 bytes, unique)
     * @param type its type
     * @param shape the row-major shape (written reversed, as ggml's ne)
     * @param data the callback that writes its bytes
     * @return this writer
     */
    public GgufWriter addTensor(String name, GgufType type, long[] shape, TensorData data) {
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameBytes == 0 || nameBytes > GgufFile.MAX_NAME) {
            throw new IllegalArgumentException(
                    "tensor name '" + name + "' must have 1 to " + GgufFile.MAX_NAME + " bytes");
        }
        if (names.putIfAbsent(name, true) != null) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        if (shape.length < 1 || shape.length > 4) {
            throw new IllegalArgumentException("tensor '" + name + "' needs 1 to 4 dimensions");
        }
        long[] ne = new long[shape.length];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            ne[i] = shape[shape.length - 1 - i];
            if (ne[i] < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dim");
            }
            elements = Math.multiplyExact(elements, ne[i]);
        }
        long bytes = type.bytes(elements);
        if (ne[0] % type.blockSize() != 0 || bytes < 0) {
            throw new IllegalArgumentException(
                    "tensor '"
                            + name
                            + "': rows of "
                            + ne[0]
                            + " values are not whole "
                            + type
                            + " blocks");
        }
        tensors.add(new Tensor(name, type, ne, bytes, data));
        return this;
    }

    /**
     * Writes the file atomically.
     *
     * @param out the file to create or replace
     * @throws IOException if it cannot be written, or a tensor callback wrote the wrong byte count
     */
    public void write(Path out) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = newTempFile(dir, "." + out.getFileName() + ".");
        boolean done = false;
        try {
            try (FileChannel channel =
                    FileChannel.open(
                            tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                Sink sink = new Sink(channel);
                sink.write(ByteBuffer.wrap(header()));
                sink.pad(alignment);
                for (Tensor t : tensors) {
                    long before = sink.written;
                    t.data().write(sink);
                    long wrote = sink.written - before;
                    if (wrote != t.bytes()) {
                        throw new IOException(
                                "tensor '"
                                        + t.name()
                                        + "': "
                                        + wrote
                                        + " bytes written, expected "
                                        + t.bytes());
                    }
                    sink.pad(alignment);
                }
                sink.flush();
                channel.force(true);
            }
            try {
                Files.move(
                        tmp,
                        out,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * A new temporary file in a directory, created like any other new file: read-write for all less
     * the umask ({@code rw-r--r--} under 022), not {@link Files#createTempFile}'s owner-only {@code
     * rw-------}, so that the file moved into place has the usual permissions.
     */
    private static Path newTempFile(Path dir, String prefix) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, prefix, ".tmp");
        }
        return Files.createTempFile(
                dir,
                prefix,
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
    }

    private byte[] header() {
        Map<String, GgufValue> all = new LinkedHashMap<>(metadata);
        if (alignment != GgufFile.DEFAULT_ALIGNMENT) {
            all.put("general.alignment", GgufValue.u32(alignment));
        }
        Bytes b = new Bytes();
        b.u32(GgufFile.MAGIC);
        b.u32(3);
        b.u64(tensors.size());
        b.u64(all.size());
        for (Map.Entry<String, GgufValue> e : all.entrySet()) {
            b.string(e.getKey());
            GgufValue v = e.getValue();
            b.u32(v.type().id());
            if (v.type() == GgufValueType.ARRAY) {
                b.u32(v.elementType().id());
                b.u64(v.asList().size());
                for (Object o : v.asList()) {
                    b.scalar(v.elementType(), o);
                }
            } else {
                b.scalar(v.type(), v.value());
            }
        }
        long offset = 0;
        for (Tensor t : tensors) {
            b.string(t.name());
            b.u32(t.ne().length);
            for (long n : t.ne()) {
                b.u64(n);
            }
            b.u32(t.type().id());
            b.u64(offset);
            offset += GgufFile.align(t.bytes(), alignment);
        }
        return b.toByteArray();
    }

    /** Little-endian header bytes. */
    private static final class Bytes extends ByteArrayOutputStream {

        void u32(long v) {
            for (int i = 0; i < 4; i++) {
                write((int) (v >>> (8 * i)));
            }
        }

        void u64(long v) {
            for (int i = 0; i < 8; i++) {
                write((int) (v >>> (8 * i)));
            }
        }

        void string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            write(bytes, 0, bytes.length);
        }

        void scalar(GgufValueType type, Object o) {
            switch (type) {
                case UINT8, INT8 -> write((int) (long) (Long) o);
                case UINT16, INT16 -> {
                    long v = (Long) o;
                    write((int) v);
                    write((int) (v >>> 8));
                }
                case UINT32, INT32 -> u32((Long) o);
                case UINT64, INT64 -> u64((Long) o);
                case FLOAT32 -> u32(Float.floatToRawIntBits((Float) o));
                case FLOAT64 -> u64(Double.doubleToRawLongBits((Double) o));
                case BOOL -> write((Boolean) o ? 1 : 0);
                case STRING -> string((String) o);
                case ARRAY -> throw new IllegalArgumentException("nested array");
            }
        }
    }

    /** A buffered, counting channel writer. */
    private static final class Sink implements TensorOutput {

        private final FileChannel channel;
        private final ByteBuffer buffer =
                ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private long written;

        Sink(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            written += bytes.remaining();
            while (bytes.hasRemaining()) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                int n = Math.min(buffer.remaining(), bytes.remaining());
                ByteBuffer slice = bytes.duplicate();
                slice.limit(slice.position() + n);
                buffer.put(slice);
                bytes.position(bytes.position() + n);
            }
        }

        void pad(long alignment) throws IOException {
            int padding = (int) (GgufFile.align(written, alignment) - written);
            write(ByteBuffer.allocate(padding));
        }

        void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }
    }
}
