package io.moezoo.formats;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small safetensors files for tests, including deliberately broken ones. */
final class RawSafetensors {

    private record Entry(String name, String dtype, long[] shape, byte[] data) {}

    private final List<Entry> entries = new ArrayList<>();

    RawSafetensors add(String name, String dtype, long[] shape, byte[] data) {
        entries.add(new Entry(name, dtype, shape, data));
        return this;
    }

    RawSafetensors addFloats(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return add(name, "F32", shape, b.array());
    }

    static byte[] shorts(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return b.array();
    }

    /** The header JSON with offsets packed in order. */
    String header() {
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Entry e : entries) {
            json.append(",\"")
                    .append(e.name())
                    .append("\":{\"dtype\":\"")
                    .append(e.dtype())
                    .append("\",\"shape\":[");
            for (int i = 0; i < e.shape().length; i++) {
                json.append(i == 0 ? "" : ",").append(e.shape()[i]);
            }
            json.append("],\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + e.data().length)
                    .append("]}");
            offset += e.data().length;
        }
        return json.append('}').toString();
    }

    void write(Path path) throws IOException {
        write(path, header());
    }

    /** Writes with a given header text (to forge broken headers) followed by the packed data. */
    void write(Path path, String header) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(path)) {
            out.write(
                    ByteBuffer.allocate(8)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(h.length)
                            .array());
            out.write(h);
            for (Entry e : entries) {
                out.write(e.data());
            }
        }
    }
}
