package io.moezoo.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.formats.BlockFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GgufWriter then GgufFile: every metadata type and every tensor type come back unchanged. */
class GgufRoundTripTest {

    @TempDir Path dir;

    static Map<String, GgufValue> everyValueType() {
        Map<String, GgufValue> m = new java.util.LinkedHashMap<>();
        m.put("u8", GgufValue.integer(GgufValueType.UINT8, 255));
        m.put("i8", GgufValue.integer(GgufValueType.INT8, -128));
        m.put("u16", GgufValue.integer(GgufValueType.UINT16, 65535));
        m.put("i16", GgufValue.integer(GgufValueType.INT16, -32768));
        m.put("u32", GgufValue.u32(0xffffffffL));
        m.put("i32", GgufValue.integer(GgufValueType.INT32, Integer.MIN_VALUE));
        m.put("u64", GgufValue.integer(GgufValueType.UINT64, -1L));
        m.put("i64", GgufValue.integer(GgufValueType.INT64, Long.MIN_VALUE));
        m.put("f32", GgufValue.f32(-1.5e-7f));
        m.put("f64", GgufValue.f64(Math.PI));
        m.put("bool.true", GgufValue.bool(true));
        m.put("bool.false", GgufValue.bool(false));
        m.put("string", GgufValue.string("héllo ✓ \u0000 end"));
        m.put("string.empty", GgufValue.string(""));
        m.put("array.u8", GgufValue.array(GgufValueType.UINT8, List.of(0L, 7L, 255L)));
        m.put("array.i8", GgufValue.array(GgufValueType.INT8, List.of(-1L, 1L)));
        m.put("array.u16", GgufValue.array(GgufValueType.UINT16, List.of(1L, 65535L)));
        m.put("array.i16", GgufValue.array(GgufValueType.INT16, List.of(-2L)));
        m.put("array.u32", GgufValue.array(GgufValueType.UINT32, List.of(4000000000L)));
        m.put("array.i32", GgufValue.array(GgufValueType.INT32, List.of(1L, 2L, 3L, -4L)));
        m.put("array.u64", GgufValue.array(GgufValueType.UINT64, List.of(Long.MAX_VALUE)));
        m.put("array.i64", GgufValue.array(GgufValueType.INT64, List.of(-5L)));
        m.put("array.f32", GgufValue.array(GgufValueType.FLOAT32, List.of(1f, Float.NaN)));
        m.put("array.f64", GgufValue.array(GgufValueType.FLOAT64, List.of(-0.0, 1e300)));
        m.put("array.bool", GgufValue.array(GgufValueType.BOOL, List.of(true, false)));
        m.put("array.string", GgufValue.array(GgufValueType.STRING, List.of("a b", "", "ü")));
        m.put("array.empty", GgufValue.array(GgufValueType.STRING, List.of()));
        return m;
    }

    @Test
    void everyMetadataTypeRoundTrips() throws Exception {
        GgufWriter w = new GgufWriter();
        Map<String, GgufValue> values = everyValueType();
        values.forEach(w::put);
        Path file = dir.resolve("meta.gguf");
        w.write(file);
        GgufFile g = GgufFile.open(file);
        assertEquals(3, g.version());
        assertEquals(values.keySet(), g.metadata().keySet());
        for (Map.Entry<String, GgufValue> e : values.entrySet()) {
            GgufValue read = g.metadata().get(e.getKey());
            assertEquals(e.getValue().type(), read.type(), e.getKey());
            assertEquals(e.getValue().elementType(), read.elementType(), e.getKey());
            assertEquals(
                    String.valueOf(e.getValue().value()), String.valueOf(read.value()), e.getKey());
        }
        assertEquals(0, g.tensors().size());
    }

    @Test
    void everyTensorTypeRoundTrips() throws Exception {
        for (int alignment : new int[] {32, 64}) {
            Random random = new Random(alignment);
            GgufWriter w = new GgufWriter().alignment(alignment);
            w.put("general.architecture", GgufValue.string("test"));
            Map<String, float[]> values = new java.util.LinkedHashMap<>();
            Map<String, GgufType> types = new java.util.LinkedHashMap<>();
            long[][] shapes = {{3, 64}, {2, 3, 32}, {5}};
            for (GgufType type : GgufType.values()) {
                if (!type.encodable()) {
                    continue; // MXFP4: written by repacking, see Mxfp4RepackTest
                }
                for (long[] shape : shapes) {
                    long n = 1;
                    for (long d : shape) {
                        n *= d;
                    }
                    if (shape[shape.length - 1] % type.blockSize() != 0) {
                        continue;
                    }
                    float[] x = new float[(int) n];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) random.nextGaussian();
                    }
                    String name = type + "." + shape.length;
                    values.put(name, x);
                    types.put(name, type);
                    w.addTensor(
                            name,
                            type,
                            shape,
                            out -> {
                                ByteBuffer b =
                                        ByteBuffer.allocate((int) type.bytes(x.length))
                                                .order(ByteOrder.LITTLE_ENDIAN);
                                GgufCodec.encode(x, 0, x.length, type, b);
                                out.write(b.flip());
                            });
                }
            }
            Path file = dir.resolve("tensors" + alignment + ".gguf");
            w.write(file);
            GgufFile g = GgufFile.open(file);
            assertEquals(alignment, g.alignment());
            assertEquals(0, g.dataStart() % alignment);
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                GgufTensorInfo t = g.tensors().get(e.getKey());
                GgufType type = types.get(e.getKey());
                assertEquals(type, t.type());
                assertEquals(0, t.offset() % alignment);
                float[] x = e.getValue();
                float[] expected = expected(x, type);
                GgufFile.MappedRows m = g.map(t);
                float[] got = new float[x.length];
                int cols = (int) t.cols();
                int rowBytes = (int) type.bytes(cols);
                for (int r = 0; r < t.rows(); r++) {
                    GgufCodec.decode(
                            m.chunks()[r / m.rowsPerChunk()],
                            (r % m.rowsPerChunk()) * rowBytes,
                            type,
                            got,
                            r * cols,
                            cols);
                }
                assertArrayEquals(expected, got, e.getKey());
            }
        }
    }

    /** What the type keeps of x: exact for F32, rounded for F16/BF16, BlockFormat's blocks. */
    static float[] expected(float[] x, GgufType type) {
        float[] out = new float[x.length];
        switch (type) {
            case F32 -> System.arraycopy(x, 0, out, 0, x.length);
            case F16 -> {
                for (int i = 0; i < x.length; i++) {
                    out[i] = io.moezoo.formats.Half.f16(io.moezoo.formats.Half.toF16(x[i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < x.length; i++) {
                    out[i] = io.moezoo.formats.Half.bf16(GgufCodec.toBf16(x[i]));
                }
            }
            default -> {
                BlockFormat f = type == GgufType.Q8_0 ? BlockFormat.Q8_0 : BlockFormat.Q4_0;
                ByteBuffer b =
                        ByteBuffer.allocate((int) f.rowBytes(x.length))
                                .order(ByteOrder.LITTLE_ENDIAN);
                f.quantize(x, 0, x.length, b, 0);
                f.dequantize(b, 0, out, 0, x.length);
            }
        }
        return out;
    }

    @Test
    void largeTensorsAreMappedInChunksOfWholeRows() throws Exception {
        float[] x = new float[7 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.25f;
        }
        GgufWriter w = new GgufWriter();
        w.addTensor(
                "t",
                GgufType.F32,
                new long[] {7, 64},
                out -> {
                    ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    GgufCodec.encode(x, 0, x.length, GgufType.F32, b);
                    out.write(b.flip());
                });
        Path file = dir.resolve("chunks.gguf");
        w.write(file);
        GgufFile g = GgufFile.open(file);
        GgufTensorInfo t = g.tensors().get("t");
        // Chunks of at most 600 bytes: 2 rows of 256 bytes each, 4 chunks.
        GgufFile.MappedRows m = g.map(t, 600);
        assertEquals(2, m.rowsPerChunk());
        assertEquals(4, m.chunks().length);
        io.moezoo.engine.tensor.WeightMatrix matrix =
                io.moezoo.engine.tensor.WeightMatrix.of(
                        io.moezoo.engine.tensor.WeightFormat.F32,
                        7,
                        64,
                        m.chunks(),
                        m.rowsPerChunk());
        assertArrayEquals(x, matrix.toFloats());
        assertArrayEquals(
                java.util.Arrays.copyOfRange(x, 3 * 64, 5 * 64), matrix.rowRange(3, 2).toFloats());
        assertThrows(io.moezoo.formats.MalformedCheckpointException.class, () -> g.map(t, 100));
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertEquals((short) 0x3f80, GgufCodec.toBf16(1.0f));
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1.0).
        assertEquals((short) 0x3f80, GgufCodec.toBf16(Float.intBitsToFloat(0x3f808000)));
        assertEquals((short) 0x3f82, GgufCodec.toBf16(Float.intBitsToFloat(0x3f818000)));
        assertTrue(Float.isNaN(io.moezoo.formats.Half.bf16(GgufCodec.toBf16(Float.NaN))));
    }

    @Test
    void writerRefusesWrongByteCountsAndLeavesNoFile() throws IOException {
        GgufWriter w = new GgufWriter();
        w.addTensor("t", GgufType.F32, new long[] {4}, out -> out.write(ByteBuffer.allocate(12)));
        Path file = dir.resolve("bad.gguf");
        IOException e = assertThrows(IOException.class, () -> w.write(file));
        assertTrue(e.getMessage().contains("12 bytes written, expected 16"), e.getMessage());
        assertTrue(Files.notExists(file));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the temporary file is removed");
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> w.addTensor("t", GgufType.F32, new long[] {4}, out -> {}));
        assertThrows(
                IllegalArgumentException.class,
                () -> w.addTensor("q", GgufType.Q8_0, new long[] {2, 16}, out -> {}));
        assertThrows(
                IllegalArgumentException.class,
                () -> w.addTensor("x".repeat(64), GgufType.F32, new long[] {1}, out -> {}));
    }

    @Test
    void permutationsAreInverse() {
        for (int d : new int[] {2, 4, 8, 128}) {
            for (int r = 0; r < 3 * d; r++) {
                assertEquals(r, GgufTensorPlan.hfRow(GgufTensorPlan.ggufRow(r, d), d));
            }
        }
        // Head dim 4: GGUF rows (0,1,2,3) hold HF rows (0,2,1,3).
        assertEquals(2, GgufTensorPlan.hfRow(1, 4));
        assertEquals(1, GgufTensorPlan.hfRow(2, 4));
    }
}
