package io.moezoo.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The safetensors reader on valid, sharded and malformed files. */
class CheckpointTest {

    private static final Path DIR = Paths.get("target", "checkpoint-tests");

    @BeforeAll
    static void clean() throws IOException {
        if (Files.exists(DIR)) {
            try (var walk = Files.walk(DIR)) {
                walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(DIR);
    }

    private static Path dir(String name) throws IOException {
        return Files.createDirectories(DIR.resolve(name));
    }

    private static MalformedCheckpointException malformed(Path file) {
        return assertThrows(MalformedCheckpointException.class, () -> Checkpoint.open(file));
    }

    @Test
    void readsEveryDtypeAndWidensNarrowFloats() throws Exception {
        Path file = dir("dtypes").resolve("model.safetensors");
        ByteBuffer i64 =
                ByteBuffer.allocate(16)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(-3)
                        .putLong(1L << 40);
        new RawSafetensors()
                .addFloats("f32", new long[] {2, 2}, 1f, -2.5f, 3.25f, 0f)
                // 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal)
                .add(
                        "f16",
                        "F16",
                        new long[] {4},
                        RawSafetensors.shorts(0x3C00, 0xC000, 0x7BFF, 0x0001))
                // bf16 = the upper 16 bits of float32: 1.0, -2.0, 3.140625
                .add("bf16", "BF16", new long[] {3}, RawSafetensors.shorts(0x3F80, 0xC000, 0x4049))
                .add("i64", "I64", new long[] {2}, i64.array())
                .add("flags", "BOOL", new long[] {3}, new byte[] {1, 0, 1})
                .add("empty", "F32", new long[] {0, 3}, new byte[0])
                .write(file);
        Checkpoint c = Checkpoint.open(file.getParent());
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {1f, -2.5f, 3.25f, 0f}, c.load(m, "f32").toFloatArray());
            assertEquals(new Shape(2, 2), c.load(m, "f32").getShape());
            assertArrayEquals(
                    new float[] {1f, -2f, 65504f, (float) Math.pow(2, -24)},
                    c.load(m, "f16").toFloatArray());
            NDArray bf16 = c.load(m, "bf16");
            assertEquals(DataType.FLOAT32, bf16.getDataType());
            assertArrayEquals(new float[] {1f, -2f, 3.140625f}, bf16.toFloatArray());
            assertArrayEquals(new long[] {-3, 1L << 40}, c.load(m, "i64").toLongArray());
            assertArrayEquals(
                    new boolean[] {true, false, true}, c.load(m, "flags").toBooleanArray());
            assertEquals(new Shape(0, 3), c.load(m, "empty").getShape());
            // Loaded arrays are writable copies, not views of the read-only mapping.
            NDArray f32 = c.load(m, "f32");
            f32.addi(1f);
            assertArrayEquals(new float[] {2f, -1.5f, 4.25f, 1f}, f32.toFloatArray());
            assertArrayEquals(new float[] {1f, -2.5f, 3.25f, 0f}, c.load(m, "f32").toFloatArray());
        }
    }

    @Test
    void dequantisesFp8WithBlockScales() throws Exception {
        Path file = dir("fp8").resolve("model.safetensors");
        // 2 x 130 weight: two 128-column blocks per row block; e4m3 bytes 0x38 = 1.0, 0x40 = 2.0,
        // 0xB8 = -1.0, 0x7E = 448, 0x01 = 2^-9.
        byte[] w = new byte[2 * 130];
        Arrays.fill(w, (byte) 0x38);
        w[0] = 0x40;
        w[1] = (byte) 0xB8;
        w[2] = 0x7E;
        w[3] = 0x01;
        w[129] = 0x40; // row 0, column 129: second block
        new RawSafetensors()
                .add("layer.weight", "F8_E4M3", new long[] {2, 130}, w)
                .addFloats("layer.weight_scale_inv", new long[] {1, 2}, 0.5f, 3f)
                .add(
                        "bad.weight",
                        "F8_E4M3",
                        new long[] {2, 2},
                        new byte[] {0x38, 0x38, 0x38, 0x38})
                .write(file);
        Checkpoint c = Checkpoint.open(file);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = c.load(m, "layer.weight").toFloatArray();
            assertEquals(2f * 0.5f, v[0]);
            assertEquals(-1f * 0.5f, v[1]);
            assertEquals(448f * 0.5f, v[2]);
            assertEquals((float) Math.pow(2, -9) * 0.5f, v[3]);
            assertEquals(1f * 0.5f, v[127]);
            assertEquals(1f * 3f, v[128]);
            assertEquals(2f * 3f, v[129]);
            assertEquals(1f * 3f, v[130 + 129]);
            MalformedCheckpointException e =
                    assertThrows(MalformedCheckpointException.class, () -> c.load(m, "bad.weight"));
            assertTrue(e.getMessage().contains("bad.weight_scale_inv"), e.getMessage());
        }
        assertTrue(Float.isNaN(Half.e4m3((byte) 0x7F)));
    }

    @Test
    void readsShardedCheckpointsThroughTheIndex() throws Exception {
        Path d = dir("sharded");
        new RawSafetensors()
                .addFloats("a", new long[] {2}, 1f, 2f)
                .write(d.resolve("model-00001-of-00002.safetensors"));
        new RawSafetensors()
                .addFloats("b", new long[] {1}, 7f)
                .write(d.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(
                d.resolve(Checkpoint.INDEX_FILE),
                "{\"metadata\":{\"total_size\":12},\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}");
        Checkpoint c = Checkpoint.open(d);
        assertEquals(java.util.Set.of("a", "b"), c.keys());
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {7f}, c.load(m, "b").toFloatArray());
            MalformedCheckpointException e =
                    assertThrows(MalformedCheckpointException.class, () -> c.load(m, "c"));
            assertTrue(e.getMessage().contains("tensor 'c' is missing"), e.getMessage());
        }
        Path missingKey = dir("sharded-missing-key");
        new RawSafetensors()
                .addFloats("a", new long[] {1}, 1f)
                .write(missingKey.resolve("s1.safetensors"));
        Files.writeString(
                missingKey.resolve(Checkpoint.INDEX_FILE),
                "{\"weight_map\":{\"a\":\"s1.safetensors\",\"z\":\"s1.safetensors\"}}");
        assertTrue(
                malformed(missingKey)
                        .getMessage()
                        .contains("tensor 'z' listed in the index is missing"));
        Path missingShard = dir("sharded-missing-shard");
        Files.writeString(
                missingShard.resolve(Checkpoint.INDEX_FILE),
                "{\"weight_map\":{\"a\":\"nope.safetensors\"}}");
        assertTrue(malformed(missingShard).getMessage().contains("does not exist"));
        Path escape = dir("sharded-escape");
        Files.writeString(
                escape.resolve(Checkpoint.INDEX_FILE),
                "{\"weight_map\":{\"a\":\"../sharded/model-00002-of-00002.safetensors\"}}");
        assertTrue(malformed(escape).getMessage().contains("outside the checkpoint directory"));
        Path brokenIndex = dir("sharded-broken-index");
        Files.writeString(brokenIndex.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\": {\"a\": ");
        assertTrue(malformed(brokenIndex).getMessage().contains("not valid JSON"));
        assertTrue(malformed(dir("empty-dir")).getMessage().contains("no model.safetensors"));
    }

    @Test
    void rejectsMalformedFilesWithAnErrorNamingFileAndTensor() throws Exception {
        Path d = dir("malformed");
        RawSafetensors good =
                new RawSafetensors()
                        .addFloats("w", new long[] {2}, 1f, 2f)
                        .addFloats("v", new long[] {1}, 3f);

        Path truncated = d.resolve("truncated.safetensors");
        good.write(truncated);
        byte[] all = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(all, all.length - 3));
        MalformedCheckpointException e = malformed(truncated);
        assertTrue(
                e.getMessage().contains("truncated.safetensors")
                        && e.getMessage().contains("outside the data section"),
                e.getMessage());

        Path tiny = d.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(malformed(tiny).getMessage().contains("shorter than the 8-byte header length"));

        Path headerPastEnd = d.resolve("header-past-end.safetensors");
        Files.write(
                headerPastEnd,
                ByteBuffer.allocate(12)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(1000)
                        .putInt(0)
                        .array());
        assertTrue(
                malformed(headerPastEnd).getMessage().contains("header length 1000 does not fit"));

        Path hugeHeader = d.resolve("huge-header.safetensors");
        Files.write(
                hugeHeader,
                ByteBuffer.allocate(12)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(-1L)
                        .putInt(0)
                        .array());
        assertTrue(malformed(hugeHeader).getMessage().contains("does not fit"));

        Path overlap = d.resolve("overlap.safetensors");
        good.write(
                overlap,
                good.header().replace("\"data_offsets\":[8,12]", "\"data_offsets\":[4,8]"));
        e = malformed(overlap);
        assertTrue(e.getMessage().contains("'w' and 'v' overlap"), e.getMessage());

        Path outOfRange = d.resolve("out-of-range.safetensors");
        good.write(
                outOfRange,
                good.header().replace("\"data_offsets\":[8,12]", "\"data_offsets\":[8,400]"));
        e = malformed(outOfRange);
        assertTrue(
                e.getMessage().contains("tensor 'v'")
                        && e.getMessage().contains("outside the data section"),
                e.getMessage());

        Path unknown = d.resolve("unknown-dtype.safetensors");
        good.write(unknown, good.header().replaceFirst("\"F32\"", "\"F12\""));
        e = malformed(unknown);
        assertTrue(e.getMessage().contains("tensor 'w' has unknown dtype 'F12'"), e.getMessage());

        Path wrongSize = d.resolve("wrong-size.safetensors");
        good.write(wrongSize, good.header().replaceFirst("\"shape\":\\[2\\]", "\"shape\":[3]"));
        e = malformed(wrongSize);
        assertTrue(
                e.getMessage().contains("tensor 'w' has 8 bytes but shape [3] of F32 needs 12"),
                e.getMessage());

        Path badJson = d.resolve("broken-json.safetensors");
        good.write(
                badJson, good.header().substring(0, 20) + " ".repeat(good.header().length() - 20));
        assertTrue(malformed(badJson).getMessage().contains("not valid JSON"));

        Path notObject = d.resolve("not-object.safetensors");
        good.write(notObject, "[1, 2, 3]" + " ".repeat(good.header().length() - 9));
        assertTrue(malformed(notObject).getMessage().contains("not a JSON object"));

        Path negative = d.resolve("negative.safetensors");
        good.write(negative, good.header().replaceFirst("\"shape\":\\[2\\]", "\"shape\":[-2]"));
        assertTrue(malformed(negative).getMessage().contains("negative dimension"));

        // The file shrinking after opening is caught before the mapping is read (no SIGBUS).
        Path shrinking = d.resolve("shrinking.safetensors");
        good.write(shrinking);
        Checkpoint c = Checkpoint.open(shrinking);
        byte[] bytes = Files.readAllBytes(shrinking);
        Files.write(shrinking, Arrays.copyOf(bytes, bytes.length - 4));
        try (NDManager m = NDManager.newBaseManager()) {
            e = assertThrows(MalformedCheckpointException.class, () -> c.load(m, "v"));
            assertTrue(e.getMessage().contains("changed size"), e.getMessage());
        }
        assertEquals("{", new String(Files.readAllBytes(shrinking), 8, 1, StandardCharsets.UTF_8));
    }
}
