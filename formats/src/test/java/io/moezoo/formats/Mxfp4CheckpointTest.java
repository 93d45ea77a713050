package io.moezoo.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MXFP4 pairs {@code X_blocks} + {@code X_scales} read as the logical tensor {@code X}: values
 * checked against the e2m1 table of the gpt-oss reference (transcribed here, not taken from the
 * reader), and malformed pairs refused by name.
 */
class Mxfp4CheckpointTest {

    /** e2m1 by nibble, as the reference's FP4_VALUES lists them. */
    private static final double[] TABLE = {
        +0.0, +0.5, +1.0, +1.5, +2.0, +3.0, +4.0, +6.0, -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0,
        -6.0
    };

    private static final String KEY = "model.layers.0.mlp.experts.gate_up_proj";

    /** Scale bytes [E=2, R=2, G=2]: ×1, ×2, ×2^-7, ×2^-127, ×2^3, ×2^-1, ×1, ×1. */
    static final byte[] SCALES = {127, (byte) 128, 120, 0, (byte) 130, 126, 127, 127};

    /** Nibble bytes [2, 2, 2, 16]: a pattern, with hand-checked bytes at the start of blocks. */
    static byte[] blocks() {
        byte[] b = new byte[SCALES.length * 16];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 37 + 11);
        }
        b[0] = (byte) 0x87; // scale ×1: column 0 = +6, column 1 = −0
        b[16] = (byte) 0xF1; // scale ×2: column 32 = 0.5·2 = 1, column 33 = −6·2 = −12
        b[32] = (byte) 0x2A; // scale ×2^-7: −1/128, +1/128
        b[48] = (byte) 0x77; // scale ×2^-127: 6·2^-127 twice
        return b;
    }

    /** The logical values computed from the table in float64. */
    static float[] expected() {
        byte[] b = blocks();
        float[] out = new float[SCALES.length * 32];
        for (int i = 0; i < out.length; i++) {
            int g = i / 32;
            int k = (i % 32) / 2;
            int nibble = (b[g * 16 + k] >> (4 * (i % 2))) & 0xf;
            out[i] = (float) (TABLE[nibble] * Math.pow(2, (SCALES[g] & 0xff) - 127));
        }
        return out;
    }

    private static Path write(Path dir, RawSafetensors raw) throws Exception {
        Path file = dir.resolve("model.safetensors");
        raw.write(file);
        return file;
    }

    private static RawSafetensors pair() {
        return new RawSafetensors()
                .add(KEY + "_blocks", "U8", new long[] {2, 2, 2, 16}, blocks())
                .add(KEY + "_scales", "U8", new long[] {2, 2, 2}, SCALES)
                .addFloats("model.norm.weight", new long[] {2}, 1f, 2f);
    }

    @Test
    void handBuiltPairReadsAsTheLogicalTensor(@TempDir Path dir) throws Exception {
        Checkpoint c = Checkpoint.open(write(dir, pair()));
        assertTrue(c.contains(KEY));
        assertFalse(c.contains("model.layers.0.mlp.experts.down_proj"));
        assertEquals(new Shape(2, 2, 64), c.shape(KEY));
        assertNull(c.loadProblem(KEY));
        assertNull(c.blockFormat(KEY));
        assertEquals(Set.of(KEY + "_blocks", KEY + "_scales", "model.norm.weight"), c.keys());
        assertEquals(new Shape(2), c.shape("model.norm.weight"));
        float[] want = expected();
        assertEquals(6f, want[0]);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(want[1]));
        assertEquals(1f, want[32]);
        assertEquals(-12f, want[33]);
        assertEquals(-0.0078125f, want[64]);
        assertEquals(0.0078125f, want[65]);
        assertEquals(Math.scalb(6f, -127), want[96]);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertBits(want, c.load(manager, KEY).toFloatArray(), "load");
            assertEquals(new Shape(2, 2, 64), c.load(manager, KEY).getShape());
        }
        TensorRows rows = TensorRows.open(c, KEY);
        assertEquals(4, rows.rows());
        assertEquals(64, rows.cols());
        float[] part = new float[2 * 64 + 1];
        rows.read(1, 2, part, 1);
        float[] wantPart = new float[part.length];
        System.arraycopy(want, 64, wantPart, 1, 128);
        assertBits(wantPart, part, "rows 1-2");
    }

    @Test
    void aStoredTensorOfTheSameNameWins(@TempDir Path dir) throws Exception {
        Checkpoint c =
                Checkpoint.open(
                        write(
                                dir,
                                pair().addFloats("w", new long[] {1}, 3f)
                                        .add("w_blocks", "U8", new long[] {1, 16}, new byte[16])));
        assertNull(c.mxfp4("w"));
        assertEquals(new Shape(1), c.shape("w"));
        assertEquals("w", c.info("w").name());
    }

    @Test
    void malformedPairsAreRefusedByName(@TempDir Path dir) throws Exception {
        refused(
                dir.resolve("a"),
                new RawSafetensors().add("x_blocks", "U8", new long[] {2, 1, 16}, new byte[32]),
                "has no scales 'x_scales'");
        refused(
                dir.resolve("b"),
                new RawSafetensors()
                        .add("x_blocks", "I8", new long[] {2, 1, 16}, new byte[32])
                        .add("x_scales", "U8", new long[] {2, 1}, new byte[2]),
                "'x_blocks' has dtype I8, not U8");
        refused(
                dir.resolve("c"),
                new RawSafetensors()
                        .add("x_blocks", "U8", new long[] {2, 1, 16}, new byte[32])
                        .add("x_scales", "I8", new long[] {2, 1}, new byte[2]),
                "'x_scales' has dtype I8, not U8");
        refused(
                dir.resolve("d"),
                new RawSafetensors()
                        .add("x_blocks", "U8", new long[] {2, 2, 8}, new byte[32])
                        .add("x_scales", "U8", new long[] {2, 2}, new byte[4]),
                "'x_blocks' has shape (2, 2, 8), expected [..., blocks > 0, 16]");
        refused(
                dir.resolve("e"),
                new RawSafetensors()
                        .add("x_blocks", "U8", new long[] {2, 1, 16}, new byte[32])
                        .add("x_scales", "U8", new long[] {1, 2}, new byte[2]),
                "'x_scales' has shape (1, 2), expected (2, 1)");
        refused(
                dir.resolve("f"),
                new RawSafetensors()
                        .add("x_blocks", "U8", new long[] {32}, new byte[32])
                        .add("x_scales", "U8", new long[] {2}, new byte[2]),
                "'x_blocks' has shape (32)");
    }

    private static void refused(Path dir, RawSafetensors raw, String message) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Checkpoint c = Checkpoint.open(write(dir, raw));
        assertTrue(c.contains("x"));
        MalformedCheckpointException e =
                assertThrows(MalformedCheckpointException.class, () -> c.shape("x"));
        assertTrue(e.getMessage().contains("MXFP4 tensor 'x'"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(c.loadProblem("x").contains(message), c.loadProblem("x"));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThrows(MalformedCheckpointException.class, () -> c.load(manager, "x"));
        }
        assertThrows(MalformedCheckpointException.class, () -> TensorRows.open(c, "x"));
    }

    private static void assertBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(
                    Float.floatToIntBits(want[i]),
                    Float.floatToIntBits(got[i]),
                    what + " [" + i + "]: " + want[i] + " vs " + got[i]);
        }
    }
}
