package io.moezoo.engine.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-made GGUF bytes, any field set to anything, for the hostile cases. */
final class RawGguf {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static RawGguf header(long version, long tensors, long keys) {
        return new RawGguf().u32(0x46554747).u32(version).u64(tensors).u64(keys);
    }

    RawGguf u8(int v) {
        out.write(v);
        return this;
    }

    RawGguf u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    RawGguf u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    RawGguf str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    RawGguf bytes(byte... b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** A u32 metadata pair. */
    RawGguf kvU32(String key, long value) {
        return str(key).u32(GgufValueType.UINT32.id()).u32(value);
    }

    /** A tensor info: name, dims (ne order), type id, offset. */
    RawGguf tensor(String name, long[] ne, long type, long offset) {
        str(name).u32(ne.length);
        for (long n : ne) {
            u64(n);
        }
        return u32(type).u64(offset);
    }

    /** Zero padding to a multiple of the alignment, then {@code data} zero bytes. */
    RawGguf data(int alignment, int data) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        out.write(new byte[data], 0, data);
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
