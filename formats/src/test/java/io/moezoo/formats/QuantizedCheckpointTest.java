package io.moezoo.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading quantised safetensors: logical shapes, block formats, dequantising loads, refusals. */
class QuantizedCheckpointTest {

    private static final String META =
            "{\"format\":\"pt\",\"moezoo.quantization\":\"q8_0\",\"moezoo.format.w\":\"Q8_0\","
                    + "\"moezoo.format.e\":\"Q4_0\"}";

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static byte[] blocks(BlockFormat format, float[] x) {
        ByteBuffer b = ByteBuffer.allocate(x.length / 32 * format.blockBytes());
        format.quantize(x, 0, x.length, b, 0);
        return b.array();
    }

    private static Path write(Path dir, String meta) throws Exception {
        float[] w = random(3 * 64, 1);
        float[] e = random(2 * 3 * 32, 2);
        RawSafetensors raw =
                new RawSafetensors()
                        .add("w", "U8", new long[] {3, 68}, blocks(BlockFormat.Q8_0, w))
                        .add("e", "U8", new long[] {2, 3, 18}, blocks(BlockFormat.Q4_0, e))
                        .addFloats("n", new long[] {2}, 1f, 2f);
        Path file = dir.resolve("model.safetensors");
        raw.write(file, raw.header().replace("{\"format\":\"pt\"}", meta));
        return file;
    }

    @Test
    void quantisedTensorsHaveLogicalShapesAndLoadDequantised(@TempDir Path dir) throws Exception {
        Checkpoint c = Checkpoint.open(write(dir, META));
        assertEquals(BlockFormat.Q8_0, c.blockFormat("w"));
        assertEquals(BlockFormat.Q4_0, c.blockFormat("e"));
        assertNull(c.blockFormat("n"));
        assertEquals(new Shape(3, 64), c.shape("w"));
        assertEquals(new Shape(2, 3, 32), c.shape("e"));
        assertEquals(new Shape(3, 68), c.info("w").shape());
        assertEquals(TensorDType.U8, c.info("w").dtype());
        assertEquals(3 * 68, c.info("w").length());
        assertNull(c.loadProblem("w"));
        assertNull(c.loadProblem("e"));
        float[] w = new float[3 * 64];
        BlockFormat.Q8_0.dequantize(
                ByteBuffer.wrap(blocks(BlockFormat.Q8_0, random(3 * 64, 1)))
                        .order(ByteOrder.LITTLE_ENDIAN),
                0,
                w,
                0,
                w.length);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(w, c.load(manager, "w").toFloatArray());
            assertEquals(new Shape(2, 3, 32), c.load(manager, "e").getShape());
            TensorRows rows = TensorRows.open(c, "e");
            assertEquals(6, rows.rows());
            assertEquals(32, rows.cols());
            float[] some = new float[2 * 32];
            rows.read(3, 2, some, 0);
            float[] all = c.load(manager, "e").toFloatArray();
            for (int i = 0; i < some.length; i++) {
                assertEquals(all[3 * 32 + i], some[i]);
            }
        }
    }

    @Test
    void aFormatThatDisagreesWithTheRowBytesIsRefused(@TempDir Path dir) throws Exception {
        // The same header length: Q8_0 rows of 68 bytes declared as Q4_0 (18-byte blocks).
        Path file =
                write(
                        dir,
                        META.replace(
                                "\"moezoo.format.w\":\"Q8_0\"", "\"moezoo.format.w\":\"Q4_0\""));
        MalformedCheckpointException e =
                assertThrows(MalformedCheckpointException.class, () -> Checkpoint.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("tensor 'w' is Q4_0"), e.getMessage());
        assertTrue(e.getMessage().contains("18-byte block"), e.getMessage());
    }

    @Test
    void aScalarCannotBeQuantised(@TempDir Path dir) throws Exception {
        RawSafetensors raw = new RawSafetensors().add("s", "U8", new long[] {}, new byte[1]);
        Path file = dir.resolve("model.safetensors");
        raw.write(
                file,
                raw.header()
                        .replace(
                                "{\"format\":\"pt\"}",
                                "{\"moezoo.quantization\":\"q4_0\",\"moezoo.format.s\":\"Q4_0\"}"));
        MalformedCheckpointException e =
                assertThrows(MalformedCheckpointException.class, () -> Checkpoint.open(file));
        assertTrue(
                e.getMessage().contains("tensor 's' is Q4_0 but has 0 dimension(s)"),
                e.getMessage());
    }

    @Test
    void tensorRowsReadFp8WeightsExactlyAsLoadDoes() throws Exception {
        Path dir = Paths.get("..", "hf", "src", "test", "resources", "fixtures", "deepseek_v3_fp8");
        String config = Files.readString(dir.resolve("config.json"), StandardCharsets.UTF_8);
        assertTrue(config.contains("weight_block_size"));
        Checkpoint c = Checkpoint.open(dir).withFp8BlockSize(8, 8);
        String key = "model.layers.0.self_attn.kv_b_proj.weight";
        assertEquals(TensorDType.F8_E4M3, c.info(key).dtype());
        TensorRows rows = TensorRows.open(c, key);
        float[] read = new float[(int) rows.rows() * rows.cols()];
        for (int r = 0; r < rows.rows(); r += 5) {
            int n = (int) Math.min(5, rows.rows() - r);
            rows.read(r, n, read, r * rows.cols());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(c.load(manager, key).toFloatArray(), read);
        }
    }
}
