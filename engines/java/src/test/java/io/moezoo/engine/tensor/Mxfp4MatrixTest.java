package io.moezoo.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.engine.Fixtures;
import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.kernel.Product;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MXFP4 weight matrices read in place from {@code X_blocks} + {@code X_scales}: decoded values
 * against the e2m1 table of the gpt-oss reference (transcribed here), products against a float64
 * loop over those values, and the pair read through {@link SafetensorsSource#matrix}.
 */
class Mxfp4MatrixTest {

    /** e2m1 by nibble, as the reference's FP4_VALUES lists them. */
    private static final double[] TABLE = {
        +0.0, +0.5, +1.0, +1.5, +2.0, +3.0, +4.0, +6.0, -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0,
        -6.0
    };

    private static final String KEY = "model.layers.0.mlp.experts.gate_up_proj";

    /** Scale bytes [E=2, R=2, G=2]: ×1, ×2, ×2^-7, ×2^-127, ×2^3, ×2^-1, ×1, ×1. */
    private static final byte[] SCALES = {127, (byte) 128, 120, 0, (byte) 130, 126, 127, 127};

    private static byte[] handBlocks() {
        byte[] b = new byte[SCALES.length * 16];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 37 + 11);
        }
        b[0] = (byte) 0x87; // ×1: +6, −0
        b[16] = (byte) 0xF1; // ×2: 1, −12
        b[32] = (byte) 0x2A; // ×2^-7: −1/128, +1/128
        b[48] = (byte) 0x77; // ×2^-127: 6·2^-127 twice
        return b;
    }

    /** The values from the table, in float64 (exact in float32 for these scales). */
    private static double[] values(byte[] blocks, byte[] scales) {
        double[] out = new double[scales.length * 32];
        for (int i = 0; i < out.length; i++) {
            int g = i / 32;
            int nibble = (blocks[g * 16 + (i % 32) / 2] >> (4 * (i % 2))) & 0xf;
            out[i] = TABLE[nibble] * Math.pow(2, (scales[g] & 0xff) - 127);
        }
        return out;
    }

    private static ByteBuffer direct(byte[] bytes, int from, int length) {
        ByteBuffer b = ByteBuffer.allocateDirect(length);
        b.put(bytes, from, length).flip();
        return b;
    }

    private static WeightMatrix matrix(byte[] blocks, byte[] scales, int rows, int cols, int per) {
        int chunks = (rows + per - 1) / per;
        ByteBuffer[] b = new ByteBuffer[chunks];
        ByteBuffer[] s = new ByteBuffer[chunks];
        for (int c = 0; c < chunks; c++) {
            int n = Math.min(per, rows - c * per);
            b[c] = direct(blocks, c * per * cols / 2, n * cols / 2);
            s[c] = direct(scales, c * per * cols / 32, n * cols / 32);
        }
        return WeightMatrix.mxfp4(rows, cols, b, s, per);
    }

    @Test
    void handBuiltRowsDecodeToTheTableValues() {
        WeightMatrix w = matrix(handBlocks(), SCALES, 4, 64, 4);
        assertEquals(WeightFormat.MXFP4, w.format());
        assertEquals(4 * (32 + 2), w.byteSize());
        float[] got = w.toFloats();
        double[] want = values(handBlocks(), SCALES);
        for (int i = 0; i < want.length; i++) {
            assertEquals( // as numbers: the vector codec decodes −0 as +0
                    Float.floatToIntBits((float) want[i] + 0f),
                    Float.floatToIntBits(got[i] + 0f),
                    "[" + i + "]");
        }
        assertEquals(6f, got[0]);
        assertTrue(got[1] == 0f, "the code of −0 is a zero");
        assertEquals(-12f, got[33]);
        assertEquals(-0.0078125f, got[64]);
        assertEquals(Math.scalb(6f, -127), got[96]);
        float[] expert1 = new float[2 * 64];
        WeightMatrix e1 = w.rowRange(2, 2);
        e1.decodeRow(0, expert1, 0);
        e1.decodeRow(1, expert1, 64);
        for (int i = 0; i < expert1.length; i++) {
            assertEquals(Float.floatToIntBits(got[128 + i]), Float.floatToIntBits(expert1[i]));
        }
    }

    @Test
    void productsMatchAFloat64LoopOverTheValues() {
        Random random = new Random(16);
        int rows = 37;
        int cols = 2880;
        byte[] blocks = new byte[rows * cols / 2];
        byte[] scales = new byte[rows * cols / 32];
        random.nextBytes(blocks);
        for (int i = 0; i < scales.length; i++) {
            scales[i] = (byte) (118 + random.nextInt(12));
        }
        double[] w = values(blocks, scales);
        int tokens = 3;
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int per : new int[] {rows, 10}) {
            WeightMatrix m = matrix(blocks, scales, rows, cols, per);
            float[] y1 = new float[rows];
            MatrixOps.multiply(m, x, y1);
            float[] yt = new float[tokens * rows];
            MatrixOps.run(List.of(new Product(m, x, 0, yt, 0, tokens)));
            for (int t = 0; t < tokens; t++) {
                for (int r = 0; r < rows; r++) {
                    double want = 0;
                    double magnitude = 0;
                    for (int c = 0; c < cols; c++) {
                        double p = w[r * cols + c] * x[t * cols + c];
                        want += p;
                        magnitude += Math.abs(p);
                    }
                    String at = "row " + r + " token " + t + " chunk " + per;
                    assertEquals(want, yt[t * rows + r], 1e-5 * magnitude, at);
                    assertEquals(want, m.dot(r, x, t * cols), 1e-5 * magnitude, at);
                    if (t == 0) {
                        assertEquals(want, y1[r], 1e-5 * magnitude, at);
                    }
                }
            }
        }
    }

    @Test
    void safetensorsSourceReadsThePairInPlace(@TempDir Path dir) throws Exception {
        Path dest = pairCheckpoint(dir, true);
        try (SafetensorsSource source = SafetensorsSource.open(dest)) {
            assertTrue(source.contains(KEY));
            WeightMatrix w = source.matrix(KEY, 2, 2, 64);
            assertEquals(WeightFormat.MXFP4, w.format());
            assertEquals(4, w.rows());
            double[] want = values(handBlocks(), SCALES);
            float[] got = w.toFloats();
            for (int i = 0; i < want.length; i++) {
                assertEquals(
                        Float.floatToIntBits((float) want[i] + 0f),
                        Float.floatToIntBits(got[i] + 0f));
            }
            MalformedCheckpointException e =
                    assertThrows(
                            MalformedCheckpointException.class, () -> source.floats(KEY, 2, 2, 64));
            assertTrue(e.getMessage().contains("MXFP4"), e.getMessage());
        }
    }

    @Test
    void aPairWithoutScalesIsRefusedByName(@TempDir Path dir) throws Exception {
        Path dest = pairCheckpoint(dir, false);
        try (SafetensorsSource source = SafetensorsSource.open(dest)) {
            MalformedCheckpointException e =
                    assertThrows(
                            MalformedCheckpointException.class, () -> source.matrix(KEY, 2, 2, 64));
            assertTrue(
                    e.getMessage().contains("has no scales '" + KEY + "_scales'"), e.getMessage());
        }
    }

    /** The mixtral fixture plus a second shard holding the MXFP4 pair (or only its blocks). */
    private static Path pairCheckpoint(Path dir, boolean withScales) throws Exception {
        Path fixture = Fixtures.DIR.resolve("mixtral");
        Files.copy(fixture.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(fixture.resolve("model.safetensors"), dir.resolve("base.safetensors"));
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        header.append(",\"" + KEY + "_blocks\":{\"dtype\":\"U8\",\"shape\":[2,2,2,16],")
                .append("\"data_offsets\":[0,128]}");
        if (withScales) {
            header.append(",\"" + KEY + "_scales\":{\"dtype\":\"U8\",\"shape\":[2,2,2],")
                    .append("\"data_offsets\":[128,136]}");
        }
        byte[] h = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(dir.resolve("mxfp4.safetensors"))) {
            out.write(
                    ByteBuffer.allocate(8)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(h.length)
                            .array());
            out.write(h);
            out.write(handBlocks());
            if (withScales) {
                out.write(SCALES);
            }
        }
        StringBuilder index = new StringBuilder("{\"weight_map\":{");
        for (String key : Checkpoint.open(dir.resolve("base.safetensors")).keys()) {
            index.append('"').append(key).append("\":\"base.safetensors\",");
        }
        index.append('"').append(KEY).append("_blocks\":\"mxfp4.safetensors\"");
        if (withScales) {
            index.append(",\"").append(KEY).append("_scales\":\"mxfp4.safetensors\"");
        }
        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), index.append("}}").toString());
        return dir;
    }
}
