package io.moezoo.zoo.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes float tensors to a safetensors file as F32 or F16 (round to nearest even), atomically: the
 * file appears complete under its name or not at all.
 */
public final class SafetensorsWriter {

    private final Map<String, NDArray> tensors = new LinkedHashMap<>();
    private final TensorDType dtype;

    /**
     * Creates a writer.
     *
     * @param dtype {@link TensorDType#F32} or {@link TensorDType#F16}
     */
    public SafetensorsWriter(TensorDType dtype) {
        if (dtype != TensorDType.F32 && dtype != TensorDType.F16) {
            throw new IllegalArgumentException("Only F32 and F16 can be written, got " + dtype);
        }
        this.dtype = dtype;
    }

    /**
     * Adds a tensor (kept by reference until {@link #write}).
     *
     * @param key the tensor key
     * @param array a float array
     * @return this writer
     */
    public SafetensorsWriter add(String key, NDArray array) {
        if (tensors.put(key, array) != null) {
            throw new IllegalArgumentException("Duplicate tensor key " + key);
        }
        return this;
    }

    /**
     * Writes the file.
     *
     * @param path the target file
     * @throws IOException if writing fails (no partial file is left under the name)
     */
    public void write(Path path) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            long bytes = e.getValue().getShape().size() * dtype.bytes();
            StringBuilder shape = new StringBuilder();
            for (long d : e.getValue().getShape().getShape()) {
                shape.append(shape.length() == 0 ? "" : ",").append(d);
            }
            header.append(",\"")
                    .append(e.getKey())
                    .append("\":{\"dtype\":\"")
                    .append(dtype.name())
                    .append("\",\"shape\":[")
                    .append(shape)
                    .append("],\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + bytes)
                    .append("]}");
            offset += bytes;
        }
        header.append('}');
        while (header.length() % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel out =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer length =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
            length.flip();
            out.write(length);
            out.write(ByteBuffer.wrap(h));
            for (NDArray array : tensors.values()) {
                float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
                ByteBuffer data =
                        ByteBuffer.allocate(values.length * dtype.bytes())
                                .order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    if (dtype == TensorDType.F16) {
                        data.putShort(Widening.floatToHalf(v));
                    } else {
                        data.putFloat(v);
                    }
                }
                data.flip();
                while (data.hasRemaining()) {
                    out.write(data);
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
