package io.moezoo.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ggml's Q8_0 and Q4_0 reference quantisers, byte for byte, on hand-computed blocks. */
class BlockFormatTest {

    private static byte[] quantize(BlockFormat format, float[] x) {
        ByteBuffer out = ByteBuffer.allocate(x.length / 32 * format.blockBytes());
        format.quantize(x, 0, x.length, out, 0);
        return out.array();
    }

    private static float[] dequantize(BlockFormat format, byte[] blocks, int count) {
        float[] out = new float[count];
        format.dequantize(ByteBuffer.wrap(blocks).order(ByteOrder.LITTLE_ENDIAN), 0, out, 0, count);
        return out;
    }

    @Test
    void q8RoundsHalvesAwayFromZeroWithoutDoubleRounding() {
        float[] x = new float[32];
        x[0] = 127f; // amax: d = 1, id = 1
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = 0.5f;
        x[4] = -0.5f;
        x[5] = -127f;
        x[6] = Math.nextDown(1.5f); // 1
        x[7] = Math.nextDown(0.5f); // 0, where floor(a + 0.5f) would give 1
        x[8] = -Math.nextDown(0.5f); // -0
        x[9] = 3.5f;
        byte[] b = quantize(BlockFormat.Q8_0, x);
        assertEquals(34, b.length);
        assertEquals((byte) 0x00, b[0]); // fp16(1.0) = 0x3c00, little-endian
        assertEquals((byte) 0x3c, b[1]);
        byte[] q = {127, 3, -3, 1, -1, -127, 1, 0, 0, 4};
        for (int j = 0; j < q.length; j++) {
            assertEquals(q[j], b[2 + j], "q[" + j + "] of " + x[j]);
        }
        for (int j = q.length; j < 32; j++) {
            assertEquals(0, b[2 + j]);
        }
        float[] back = dequantize(BlockFormat.Q8_0, b, 32);
        assertEquals(3f, back[1]);
        assertEquals(-127f, back[5]);
    }

    @Test
    void q8ScaleIsAmaxOver127InFloat32ThenHalf() {
        float[] x = new float[32];
        x[3] = -1f; // amax 1: d = 1/127 (float32), stored as fp16
        x[4] = 0.25f;
        byte[] b = quantize(BlockFormat.Q8_0, x);
        short d = Half.toF16(1f / 127f);
        assertEquals((byte) d, b[0]);
        assertEquals((byte) (d >> 8), b[1]);
        assertEquals(-127, b[2 + 3]);
        // 0.25 · (1 / (1/127)) = 31.75 -> 32
        assertEquals(32, b[2 + 4]);
    }

    @Test
    void allZeroBlocksStoreZeroScaleQ8ZerosAndQ4Eights() {
        // Q4_0: d = max / -8 with max = 0 is -0.0 in ggml's C and numpy references: 0x8000.
        float[] zeros = new float[64];
        byte[] q8 = quantize(BlockFormat.Q8_0, zeros);
        assertArrayEquals(new byte[68], q8);
        byte[] q4 = quantize(BlockFormat.Q4_0, zeros);
        for (int block = 0; block < 2; block++) {
            assertEquals(0, q4[18 * block]);
            assertEquals((byte) 0x80, q4[18 * block + 1]);
            for (int j = 0; j < 16; j++) {
                assertEquals((byte) 0x88, q4[18 * block + 2 + j]);
            }
        }
        assertArrayEquals(new float[64], dequantize(BlockFormat.Q4_0, q4, 64), 0f);
    }

    @Test
    void q4KeepsTheSignOfTheLargestMagnitudeAndClampsFifteen() {
        float[] x = new float[32];
        x[0] = -8f; // m = -8: d = 1, id = 1, q = min(15, trunc(x + 8.5))
        x[1] = 4f; // 12
        x[2] = 7.9f; // trunc(16.4) = 16 -> clamp 15
        x[3] = -0.5f; // trunc(8.0) = 8
        x[4] = 0.5f; // 9
        x[5] = -7.5f; // 1
        x[16] = 8f; // ties with |-8|: the first one (-8) wins; 16.5 -> 15
        x[17] = -3.2f; // trunc(5.3) = 5
        byte[] b = quantize(BlockFormat.Q4_0, x);
        assertEquals(18, b.length);
        assertEquals((byte) 0x00, b[0]); // fp16(1.0)
        assertEquals((byte) 0x3c, b[1]);
        int[] low = {0, 12, 15, 8, 9, 1, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8};
        int[] high = {15, 5, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8};
        for (int j = 0; j < 16; j++) {
            assertEquals(low[j] | (high[j] << 4), b[2 + j] & 0xff, "byte " + j);
        }
        float[] back = dequantize(BlockFormat.Q4_0, b, 32);
        assertEquals(-8f, back[0]); // the extreme value is exact
        assertEquals(7f, back[2]);
        assertEquals(7f, back[16]);
        assertEquals(-3f, back[17]);
    }

    @Test
    void q4PositiveMaximumGivesANegativeScale() {
        float[] x = new float[32];
        x[0] = 2f; // m = 2: d = -0.25, id = -4
        x[1] = -2f; // -2 · -4 + 8.5 = 16.5 -> 15: value (15 - 8) · -0.25 = -1.75
        x[2] = 1f; // -4 + 8.5 = 4.5 -> 4: value 1
        byte[] b = quantize(BlockFormat.Q4_0, x);
        short d = (short) ((b[0] & 0xff) | (b[1] << 8));
        assertEquals(-0.25f, Half.f16(d));
        float[] back = dequantize(BlockFormat.Q4_0, b, 32);
        assertEquals(2f, back[0]);
        assertEquals(-1.75f, back[1]);
        assertEquals(1f, back[2]);
        assertEquals(0f, back[3], 0f);
    }

    @Test
    void roundTripErrorIsBoundedByHalfAStepPlusTheHalfScaleRounding() {
        Random random = new Random(7);
        int n = 32 * 64;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
        }
        for (BlockFormat format : BlockFormat.values()) {
            float[] back = dequantize(format, quantize(format, x), n);
            for (int b = 0; b < n / 32; b++) {
                float amax = 0;
                for (int j = 0; j < 32; j++) {
                    amax = Math.max(amax, Math.abs(x[32 * b + j]));
                }
                // Q8_0: step amax/127, q ≤ 127; Q4_0: step amax/8 and the clamped side loses one
                // step; the fp16 scale adds a relative 2^-11 of the largest value.
                double bound =
                        format == BlockFormat.Q8_0
                                ? amax / 127.0 * 0.5 + amax * 0x1p-10
                                : amax / 8.0 + amax * 0x1p-10;
                for (int j = 0; j < 32; j++) {
                    int i = 32 * b + j;
                    assertTrue(
                            Math.abs(back[i] - x[i]) <= bound * (1 + 1e-6),
                            format + " value " + x[i] + " came back as " + back[i]);
                }
            }
        }
    }

    @Test
    void rowBytesAndParse() {
        assertEquals(34 * 4, BlockFormat.Q8_0.rowBytes(128));
        assertEquals(18 * 4, BlockFormat.Q4_0.rowBytes(128));
        assertEquals(BlockFormat.Q4_0, BlockFormat.parse("q4_0"));
        assertEquals(null, BlockFormat.parse("q4_1"));
    }
}
