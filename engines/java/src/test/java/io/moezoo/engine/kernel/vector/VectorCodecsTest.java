package io.moezoo.engine.kernel.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.engine.tensor.Mxfp4Codec;
import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.ScalarCodecs;
import io.moezoo.engine.tensor.ScalarMxfp4Codec;
import io.moezoo.engine.tensor.SplitOrder;
import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.engine.tensor.WeightFormat;
import io.moezoo.formats.Half;
import io.moezoo.formats.Mxfp4Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every Vector API codec against its scalar oracle ({@link ScalarCodecs}): decode bit for bit
 * (MXFP4: −0 as +0), dot products within a relative 1e-5 of the sum of |w·x| (the summation order
 * differs), on random rows at unaligned byte offsets and lengths from one block to 4096 values, and
 * on every F16 and E4M3 bit pattern. Rows are read from heap buffers (whose arrays Java 17's loads
 * read, as the engine stages mapped rows into one) and from direct ones (mapped weights read in
 * place). A codec's several-vector dot equals its one-vector dot bit for bit.
 */
class VectorCodecsTest {

    private static final Map<WeightFormat, RowCodec> VECTOR = new VectorCodecs().get();
    private static final Map<WeightFormat, RowCodec> SCALAR = ScalarCodecs.all();
    private static final int[] BLOCK_COUNTS = {32, 64, 96, 160, 1056, 2016, 4096};
    private static final int[] ELEMENT_COUNTS = {1, 7, 31, 32, 37, 96, 161, 1023, 4095, 4096};
    private static final int[] OFFSETS = {0, 1, 3, 6, 13};

    /** Random stored rows of sane values (no NaN, no infinity) for dot products. */
    private static ByteBuffer rows(WeightFormat format, int offset, int count, Random random) {
        int bytes = (int) (count / format.blockSize() * (long) format.blockBytes());
        ByteBuffer b = ByteBuffer.allocate(offset + bytes + 5).order(ByteOrder.LITTLE_ENDIAN);
        random.nextBytes(b.array());
        for (int i = 0; i < count / format.blockSize(); i++) {
            int at = offset + i * format.blockBytes();
            float v = (float) random.nextGaussian();
            switch (format) {
                case F32 -> b.putFloat(at, v);
                case F16 -> b.putShort(at, Half.toF16(v));
                case BF16 -> b.putShort(at, (short) (Float.floatToRawIntBits(v) >>> 16));
                case F8_E4M3 -> {
                    if ((b.get(at) & 0x7f) == 0x7f) {
                        b.put(at, (byte) 0x3f);
                    }
                }
                case Q8_0, Q4_0 -> b.putShort(at, Half.toF16(0.01f * Math.abs(v) + 1e-4f));
                case MXFP4_GGUF -> b.put(at, (byte) (120 + random.nextInt(12)));
                default -> throw new IllegalStateException();
            }
        }
        return b;
    }

    /** The two forms of stored bytes the kernels read: a heap buffer's array, or direct memory. */
    private static final boolean[] DIRECT = {false, true};

    private static StoredBytes stored(ByteBuffer heap, boolean direct) {
        if (!direct) {
            return StoredBytes.of(heap);
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(heap.capacity());
        copy.put(heap.duplicate().clear()).clear();
        return StoredBytes.of(copy);
    }

    private static int[] counts(WeightFormat format) {
        return format.isBlockQuantized() ? BLOCK_COUNTS : ELEMENT_COUNTS;
    }

    @Test
    void everyFormatHasAVectorCodecOnAWideEnoughCpu() {
        Assumptions.assumeTrue(FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256);
        for (WeightFormat format : WeightFormat.values()) {
            if (format == WeightFormat.MXFP4) {
                // Its scales lie apart, so its codec is no RowCodec: VectorCodecs.mxfp4().
                assertNotNull(new VectorCodecs().mxfp4(), format.toString());
                continue;
            }
            assertNotNull(VECTOR.get(format), format.toString());
            assertNotSame(SCALAR.get(format).getClass(), VECTOR.get(format).getClass());
        }
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = "MXFP4", mode = EnumSource.Mode.EXCLUDE)
    void decodesBitForBitAndDotsWithinRounding(WeightFormat format) {
        RowCodec vector = VECTOR.get(format);
        Assumptions.assumeTrue(vector != null, "no vector codec for " + format + " on this CPU");
        RowCodec scalar = SCALAR.get(format);
        Random random = new Random(format.ordinal() * 31L + 1);
        for (boolean direct : DIRECT) {
            for (int count : counts(format)) {
                for (int offset : OFFSETS) {
                    StoredBytes data = stored(rows(format, offset, count, random), direct);
                    int xOffset = offset % 4;
                    float[] x = new float[xOffset + count + 3];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) random.nextGaussian();
                    }
                    float[] expected = new float[count + 2];
                    float[] actual = new float[count + 2];
                    scalar.decode(data, offset, expected, 1, count);
                    vector.decode(data, offset, actual, 1, count);
                    // MXFP4's vector codecs decode the code of −0 as +0: compare those as numbers.
                    float fold = format == WeightFormat.MXFP4_GGUF ? 0f : -0f;
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(
                                Float.floatToRawIntBits(expected[i] + fold),
                                Float.floatToRawIntBits(actual[i] + fold),
                                format
                                        + " direct "
                                        + direct
                                        + " count "
                                        + count
                                        + " offset "
                                        + offset
                                        + " element "
                                        + i);
                    }
                    double magnitude = 0;
                    for (int i = 0; i < count; i++) {
                        magnitude += Math.abs((double) expected[1 + i] * x[xOffset + i]);
                    }
                    float s = scalar.dot(data, offset, x, xOffset, count);
                    float v = vector.dot(data, offset, x, xOffset, count);
                    assertTrue(
                            Math.abs(s - v) <= 1e-5 * magnitude + 1e-30,
                            format
                                    + " count "
                                    + count
                                    + " offset "
                                    + offset
                                    + ": "
                                    + s
                                    + " vs "
                                    + v);
                }
            }
        }
    }

    @Test
    void mxfp4DecodesBitForBitAndDotsWithinRounding() {
        Mxfp4Codec vector = new VectorCodecs().mxfp4();
        Assumptions.assumeTrue(vector != null, "no vector MXFP4 codec on this CPU");
        Mxfp4Codec scalar = new ScalarMxfp4Codec();
        Random random = new Random(4);
        for (boolean direct : DIRECT) {
            for (int count : BLOCK_COUNTS) {
                for (int offset : OFFSETS) {
                    int groups = count / 32;
                    ByteBuffer blocks = ByteBuffer.allocate(offset + 16 * groups + 5);
                    ByteBuffer scales = ByteBuffer.allocate(offset + groups + 5);
                    random.nextBytes(blocks.array());
                    for (int g = 0; g < groups; g++) {
                        scales.put(offset + g, (byte) (110 + random.nextInt(30)));
                    }
                    StoredBytes b = stored(blocks, direct);
                    StoredBytes s = stored(scales, direct);
                    int xOffset = offset % 4;
                    float[] x = new float[xOffset + count + 3];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) random.nextGaussian();
                    }
                    float[] expected = new float[count + 2];
                    float[] actual = new float[count + 2];
                    scalar.decode(b, offset, s, offset, expected, 1, count);
                    vector.decode(b, offset, s, offset, actual, 1, count);
                    double magnitude = 0;
                    for (int i = 0; i < expected.length; i++) {
                        // Exact values; the vector codec decodes −0 as +0 (adding +0 folds them).
                        assertEquals(
                                Float.floatToIntBits(expected[i] + 0f),
                                Float.floatToIntBits(actual[i] + 0f),
                                "MXFP4 count " + count + " offset " + offset + " element " + i);
                    }
                    for (int i = 0; i < count; i++) {
                        magnitude += Math.abs((double) expected[1 + i] * x[xOffset + i]);
                    }
                    float sd = scalar.dot(b, offset, s, offset, x, xOffset, count);
                    float vd = vector.dot(b, offset, s, offset, x, xOffset, count);
                    assertTrue(
                            Math.abs(sd - vd) <= 1e-5 * magnitude + 1e-30,
                            "MXFP4 count " + count + " offset " + offset + ": " + sd + " vs " + vd);
                    // x in split order (built here by hand: evens, then odds, per block of 32).
                    float[] split = new float[3 + count];
                    for (int g = 0; g < groups; g++) {
                        for (int k = 0; k < 16; k++) {
                            split[3 + 32 * g + k] = x[xOffset + 32 * g + 2 * k];
                            split[3 + 32 * g + 16 + k] = x[xOffset + 32 * g + 2 * k + 1];
                        }
                    }
                    assertTrue(vector.prefersSplit());
                    float vs = vector.dotSplit(b, offset, s, offset, split, 3, count);
                    float ss = scalar.dotSplit(b, offset, s, offset, split, 3, count);
                    assertTrue(
                            Math.abs(sd - vs) <= 1e-5 * magnitude + 1e-30,
                            "MXFP4 split count "
                                    + count
                                    + " offset "
                                    + offset
                                    + ": "
                                    + sd
                                    + " vs "
                                    + vs);
                    assertEquals(sd, ss, "the default dotSplit restores the order for dot");
                    float[] viaHelper = new float[count];
                    Mxfp4Codec.split(x, xOffset, viaHelper, 0, count);
                    assertEquals(
                            java.util.Arrays.toString(
                                    java.util.Arrays.copyOfRange(split, 3, 3 + count)),
                            java.util.Arrays.toString(viaHelper));
                }
            }
        }
    }

    /**
     * BF16's split-order dot (32-bit lanes holding two values: even by a shift, odd by a mask) on
     * whole blocks of 32, heap and direct rows, against the scalar dot in natural order; the other
     * formats keep the natural order, and the default split dot restores it exactly.
     */
    @ParameterizedTest
    @EnumSource(
            value = WeightFormat.class,
            names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void dotTokensIsEachTokensDotBitForBit(WeightFormat format) {
        // A batch of sequences must decode to exactly what one sequence at a time gives, so a
        // codec's several-vector dot (Q8_0's reads each block once for 2 or 3 vectors) equals its
        // one-vector dot bit for bit, at a strided output and an unaligned row.
        RowCodec vector = VECTOR.get(format);
        Assumptions.assumeTrue(vector != null, "no vector codec on this CPU");
        Random random = new Random(91);
        for (boolean direct : DIRECT) {
            for (int count : new int[] {32, 64, 96, 2048}) {
                int offset = 3;
                StoredBytes data = stored(rows(format, offset, count, random), direct);
                for (int tokens = 1; tokens <= 5; tokens++) {
                    float[] x = new float[7 + tokens * count];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) random.nextGaussian();
                    }
                    float[] out = new float[2 + 3 * tokens];
                    vector.dotTokens(data, offset, x, 7, count, tokens, out, 2, 3);
                    for (int t = 0; t < tokens; t++) {
                        float want = vector.dot(data, offset, x, 7 + t * count, count);
                        assertEquals(
                                Float.floatToRawIntBits(want),
                                Float.floatToRawIntBits(out[2 + 3 * t]),
                                format + " direct " + direct + " count " + count + " token " + t);
                    }
                }
            }
        }
    }

    @Test
    void splitDotTokensIsEachTokensSplitDotBitForBit() {
        // BF16 rows read once for 2 or 3 vectors in split order (and every other count through
        // the one-vector form): each value exactly the one-vector split dot's.
        RowCodec vector = VECTOR.get(WeightFormat.BF16);
        Assumptions.assumeTrue(vector != null, "no vector BF16 codec on this CPU");
        Random random = new Random(93);
        for (boolean direct : DIRECT) {
            for (int count : new int[] {32, 64, 96, 2048}) {
                int offset = 6;
                StoredBytes data = stored(rows(WeightFormat.BF16, offset, count, random), direct);
                for (int tokens = 1; tokens <= 4; tokens++) {
                    float[] split = new float[5 + tokens * count];
                    for (int i = 0; i < split.length; i++) {
                        split[i] = (float) random.nextGaussian();
                    }
                    float[] out = new float[1 + 2 * tokens];
                    vector.dotSplitTokens(data, offset, split, 5, count, tokens, out, 1, 2);
                    for (int t = 0; t < tokens; t++) {
                        float want = vector.dotSplit(data, offset, split, 5 + t * count, count);
                        assertEquals(
                                Float.floatToRawIntBits(want),
                                Float.floatToRawIntBits(out[1 + 2 * t]),
                                "direct " + direct + " count " + count + " token " + t);
                    }
                }
            }
        }
    }

    @Test
    void bf16SplitDotMatchesTheNaturalOrderDot() {
        RowCodec vector = VECTOR.get(WeightFormat.BF16);
        Assumptions.assumeTrue(vector != null, "no vector BF16 codec on this CPU");
        RowCodec scalar = SCALAR.get(WeightFormat.BF16);
        assertTrue(vector.prefersSplit());
        for (WeightFormat f : WeightFormat.values()) {
            if (f != WeightFormat.BF16 && f != WeightFormat.MXFP4) {
                assertTrue(!VECTOR.get(f).prefersSplit(), f.toString());
            }
        }
        Random random = new Random(77);
        for (boolean direct : DIRECT) {
            for (int count : new int[] {32, 64, 96, 160, 1056, 2016, 4096}) {
                for (int offset : OFFSETS) {
                    StoredBytes data =
                            stored(rows(WeightFormat.BF16, offset, count, random), direct);
                    float[] x = new float[count];
                    for (int i = 0; i < count; i++) {
                        x[i] = (float) random.nextGaussian();
                    }
                    float[] w = new float[count];
                    scalar.decode(data, offset, w, 0, count);
                    double magnitude = 0;
                    for (int i = 0; i < count; i++) {
                        magnitude += Math.abs((double) w[i] * x[i]);
                    }
                    float[] split = new float[5 + count];
                    SplitOrder.split(x, 0, split, 5, count);
                    float expected = scalar.dot(data, offset, x, 0, count);
                    float actual = vector.dotSplit(data, offset, split, 5, count);
                    assertTrue(
                            Math.abs(expected - actual) <= 1e-5 * magnitude + 1e-30,
                            "direct "
                                    + direct
                                    + " count "
                                    + count
                                    + " offset "
                                    + offset
                                    + ": "
                                    + expected
                                    + " vs "
                                    + actual);
                    assertEquals(expected, scalar.dotSplit(data, offset, split, 5, count));
                }
            }
        }
    }

    @Test
    void mxfp4DecodesEveryNibbleAndScaleLikeTheTable() {
        Mxfp4Codec vector = new VectorCodecs().mxfp4();
        Assumptions.assumeTrue(vector != null, "no vector MXFP4 codec on this CPU");
        // 256 blocks: block g has scale byte g and bytes k·17 (both nibbles k) for k = 0..15.
        ByteBuffer blocks = ByteBuffer.allocate(256 * 16);
        ByteBuffer scales = ByteBuffer.allocate(256);
        for (int g = 0; g < 256; g++) {
            scales.put(g, (byte) g);
            for (int k = 0; k < 16; k++) {
                blocks.put(16 * g + k, (byte) (k * 17));
            }
        }
        float[] out = new float[256 * 32];
        vector.decode(StoredBytes.of(blocks), 0, StoredBytes.of(scales), 0, out, 0, out.length);
        for (int g = 0; g < 256; g++) {
            for (int v = 0; v < 32; v++) {
                float want = Mxfp4Tensor.fp4(v / 2) * Mxfp4Tensor.scale((byte) g);
                assertEquals(
                        Float.floatToIntBits(want + 0f),
                        Float.floatToIntBits(out[32 * g + v] + 0f),
                        "scale " + g + " value " + v);
            }
        }
        assertTrue(out[127 * 32 + 16] == 0f, "the code of −0 decodes to a zero");
        assertEquals(-6f, out[127 * 32 + 30]);
        assertEquals(0x1p-127f, out[32 + 2]); // 0.5 · 2^(1 − 127)
    }

    @Test
    void f16DecodesEveryBitPatternLikeHalf() {
        ByteBuffer all = ByteBuffer.allocate(2 * 65536 + 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 65536; h++) {
            all.putShort(2 + 2 * h, (short) h);
        }
        float[] out = new float[65536];
        VECTOR.get(WeightFormat.F16).decode(StoredBytes.of(all), 2, out, 0, 65536);
        for (int h = 0; h < 65536; h++) {
            assertEquals(
                    Float.floatToRawIntBits(Half.f16((short) h)),
                    Float.floatToRawIntBits(out[h]),
                    "half 0x" + Integer.toHexString(h));
        }
        // Subnormals, signed zeros, infinities and NaN among them:
        assertEquals(0x1p-24f, out[1]);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out[0x8000]));
        assertEquals(Float.POSITIVE_INFINITY, out[0x7c00]);
        assertEquals(Float.NEGATIVE_INFINITY, out[0xfc00]);
        assertTrue(Float.isNaN(out[0x7e00]) && Float.isNaN(out[0xfc01]));
        assertEquals(65504f, out[0x7bff]);
    }

    @Test
    void blockScalesReadEveryF16LikeHalf() {
        ByteBuffer b = ByteBuffer.allocate(3).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 65536; h++) {
            b.putShort(1, (short) h);
            assertEquals(
                    Float.floatToRawIntBits(Half.f16((short) h)),
                    Float.floatToRawIntBits(BlockScales.f16(StoredBytes.of(b), 1)),
                    "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void thisJdksScaleReadAgreesWithHalfOnEveryF16() {
        // Java 17 reads scales with BlockScales' arithmetic, Java 22+ with Float.float16ToFloat.
        VectorLoads loads = VectorLoads.INSTANCE;
        Assumptions.assumeTrue(loads != null, "no Vector API loads on this JDK");
        ByteBuffer b = ByteBuffer.allocate(3).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 65536; h++) {
            b.putShort(1, (short) h);
            float expected = Half.f16((short) h);
            float actual = loads.f16(StoredBytes.of(b), 1);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), "half 0x" + Integer.toHexString(h));
            } else {
                assertEquals(
                        Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(actual),
                        "half 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void e4m3DecodesEveryByteLikeHalf() {
        RowCodec vector = VECTOR.get(WeightFormat.F8_E4M3);
        Assumptions.assumeTrue(vector != null);
        ByteBuffer all = ByteBuffer.allocate(256 + 3);
        for (int b = 0; b < 256; b++) {
            all.put(3 + b, (byte) b);
        }
        float[] out = new float[256];
        vector.decode(StoredBytes.of(all), 3, out, 0, 256);
        for (int b = 0; b < 256; b++) {
            float expected = Half.e4m3((byte) b);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(out[b]), "byte " + b);
                assertEquals(b >= 128, (Float.floatToRawIntBits(out[b]) < 0), "sign of NaN " + b);
            } else {
                assertEquals(
                        Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(out[b]),
                        "byte 0x" + Integer.toHexString(b));
            }
        }
        assertEquals(448f, out[0x7e]);
        assertEquals(0x1p-9f, out[1]);
    }
}
