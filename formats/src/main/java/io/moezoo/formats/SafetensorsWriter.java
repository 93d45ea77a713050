package io.moezoo.formats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file atomically: the file appears complete under its name or not at all.
 *
 * <p>Float arrays ({@link #add}) are written as F32 or F16 (round to nearest even); streamed
 * tensors ({@link #addStreamed}) in any dtype, their bytes produced by a callback while the file is
 * written, so that a tensor never needs to be in memory as a whole. {@link #metadata} adds {@code
 * __metadata__} entries (after {@code "format": "pt"}).
 */
public final class SafetensorsWriter {

    /** Produces the bytes of one streamed tensor. */
    @FunctionalInterface
    public interface TensorBytes {

        /**
         * Writes exactly the tensor's declared byte length.
         *
         * @param out the file, positioned at the tensor's first byte
         * @throws IOException if writing or reading the source fails
         */
        void writeTo(WritableByteChannel out) throws IOException;
    }

    private record Entry(
            String key,
            TensorDType dtype,
            long[] shape,
            long bytes,
            NDArray array,
            TensorBytes source) {}

    private final List<Entry> tensors = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final TensorDType dtype;

    /**
     * Creates a writer.
     *
     * @param dtype the dtype of arrays given to {@link #add}: {@link TensorDType#F32} or {@link
     *     TensorDType#F16}
     */
    public SafetensorsWriter(TensorDType dtype) {
        if (dtype != TensorDType.F32 && dtype != TensorDType.F16) {
            throw new IllegalArgumentException("Only F32 and F16 can be written, got " + dtype);
        }
        this.dtype = dtype;
        metadata.put("format", "pt");
    }

    /**
     * Adds a tensor (kept by reference until {@link #write}).
     *
     * @param key the tensor key
     * @param array a float array
     * @return this writer
     */
    public SafetensorsWriter add(String key, NDArray array) {
        long bytes = array.getShape().size() * dtype.bytes();
        return put(new Entry(key, dtype, array.getShape().getShape(), bytes, array, null));
    }

    /**
     * Adds a tensor whose bytes are produced while the file is written.
     *
     * @param key the tensor key
     * @param stored the stored dtype
     * @param shape the stored shape
     * @param source writes exactly {@code shape.size() · stored.bytes()} bytes
     * @return this writer
     */
    public SafetensorsWriter addStreamed(
            String key, TensorDType stored, Shape shape, TensorBytes source) {
        long bytes = Math.multiplyExact(shape.size(), (long) stored.bytes());
        return put(new Entry(key, stored, shape.getShape(), bytes, null, source));
    }

    /**
     * Adds a {@code __metadata__} entry.
     *
     * @param key the key
     * @param value the value
     * @return this writer
     */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * Returns the bytes of the data section so far.
     *
     * @return the sum of the tensors' byte lengths
     */
    public long dataBytes() {
        long sum = 0;
        for (Entry e : tensors) {
            sum += e.bytes();
        }
        return sum;
    }

    private SafetensorsWriter put(Entry entry) {
        for (Entry e : tensors) {
            if (e.key().equals(entry.key())) {
                throw new IllegalArgumentException("Duplicate tensor key " + entry.key());
            }
        }
        tensors.add(entry);
        return this;
    }

    /**
     * Writes the file.
     *
     * @param path the target file
     * @throws IOException if writing fails (no partial file is left under the name)
     */
    public void write(Path path) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{");
        boolean first = true;
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            header.append(first ? "" : ",")
                    .append(json(m.getKey()))
                    .append(':')
                    .append(json(m.getValue()));
            first = false;
        }
        header.append('}');
        long offset = 0;
        for (Entry e : tensors) {
            StringBuilder shape = new StringBuilder();
            for (long d : e.shape()) {
                shape.append(shape.length() == 0 ? "" : ",").append(d);
            }
            header.append(',')
                    .append(json(e.key()))
                    .append(":{\"dtype\":\"")
                    .append(e.dtype().name())
                    .append("\",\"shape\":[")
                    .append(shape)
                    .append("],\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + e.bytes())
                    .append("]}");
            offset += e.bytes();
        }
        header.append('}');
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer headerBytes = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        headerBytes.putLong(padded).put(h);
        while (headerBytes.hasRemaining()) {
            headerBytes.put((byte) ' ');
        }
        headerBytes.flip();
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel out =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, headerBytes);
            for (Entry e : tensors) {
                long before = out.position();
                if (e.array() != null) {
                    writeArray(out, e.array());
                } else {
                    e.source().writeTo(out);
                }
                if (out.position() - before != e.bytes()) {
                    throw new IOException(
                            "tensor "
                                    + e.key()
                                    + " wrote "
                                    + (out.position() - before)
                                    + " bytes, not the declared "
                                    + e.bytes());
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void writeArray(FileChannel out, NDArray array) throws IOException {
        float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
        ByteBuffer data =
                ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (dtype == TensorDType.F16) {
                data.putShort(Half.toF16(v));
            } else {
                data.putFloat(v);
            }
        }
        data.flip();
        writeFully(out, data);
    }

    /**
     * Writes all remaining bytes of a buffer.
     *
     * @param out the channel
     * @param data the bytes
     * @throws IOException if writing fails
     */
    public static void writeFully(WritableByteChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            out.write(data);
        }
    }

    private static String json(String text) {
        return new JsonPrimitive(text).toString();
    }
}
