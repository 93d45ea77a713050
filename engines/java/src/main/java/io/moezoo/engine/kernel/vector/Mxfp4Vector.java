package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.Mxfp4Codec;
import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.formats.Mxfp4Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * MXFP4 rows (16 bytes of e2m1 nibbles per block of 32, value 2k in the low nibble of byte k and 2k
 * + 1 in its high nibble; one E8M0 scale byte per block, stored apart). The packed bytes are loaded
 * as a quarter-width byte species of L lanes (L = the preferred float species' lanes, 8 or 16),
 * each byte is repeated into two neighbouring lanes (one shuffle), the even lanes keep the low
 * nibble and the odd lanes the high one, so the lanes follow the values' order; a table shuffle
 * turns each nibble into twice its e2m1 value, an integer in [−12, 12] (with 16 byte lanes the
 * whole signed table; with 8, the magnitude and then the sign), widened to float32 ({@code B2I},
 * {@code I2F}). A block's {@code Σ 2·FP4·x} is formed in lanes and then scaled by half the block's
 * factor 2^(s − 127), so the dot is {@code Σ (FP4·2^(s−127))·x} up to rounding order (the halving
 * is exact). Decode gives {@code FP4[n]·2^(s−127)} bit for bit, −0 included ({@link #twiceSigned}).
 */
final class Mxfp4Vector implements Mxfp4Codec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();

    /** Whether the byte species holds the 16-entry signed table (else magnitude and sign). */
    private static final boolean SIGNED_TABLE = L >= 16;

    /** Twice the e2m1 values, by nibble (the sign in bit 3); the magnitudes repeat every 8. */
    private static final byte[] TWICE = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

    private static final ByteVector TABLE =
            ByteVector.fromArray(B, SIGNED_TABLE ? TWICE : magnitudes(), 0);

    /** Lanes (2m, 2m + 1) take byte m of the loaded bytes: the first half ... */
    private static final VectorShuffle<Byte> FIRST = VectorShuffle.fromOp(B, i -> i / 2);

    /** ... and the second half. */
    private static final VectorShuffle<Byte> SECOND = VectorShuffle.fromOp(B, i -> L / 2 + i / 2);

    private static final VectorMask<Byte> ODD = VectorMask.fromLong(B, 0xAAAA_AAAA_AAAA_AAAAL);

    /** The factor of each scale byte, 2^(s − 127). */
    static final float[] SCALE = new float[256];

    /** Half of it. */
    static final float[] HALF_SCALE = new float[256];

    private static final VectorLoads LOADS = VectorLoads.INSTANCE;

    static {
        for (int s = 0; s < 256; s++) {
            SCALE[s] = Mxfp4Tensor.scale((byte) s);
            HALF_SCALE[s] = 0.5f * SCALE[s];
        }
    }

    private static byte[] magnitudes() {
        byte[] m = new byte[L];
        for (int i = 0; i < L; i++) {
            m[i] = TWICE[i % 8];
        }
        return m;
    }

    /** Twice the e2m1 values of L nibbles, as float32 (−0 comes out as +0). */
    static FloatVector twice(ByteVector nibbles) {
        ByteVector q;
        if (SIGNED_TABLE) {
            q = nibbles.selectFrom(TABLE);
        } else {
            q = nibbles.and((byte) 7).selectFrom(TABLE);
            q = q.lanewise(VectorOperators.NEG, nibbles.compare(VectorOperators.GT, (byte) 7));
        }
        // B2I then I2F: on Java 17 a direct B2F falls back to a slow path, these two do not.
        IntVector i = (IntVector) q.convertShape(VectorOperators.B2I, I, 0);
        return (FloatVector) i.convertShape(VectorOperators.I2F, F, 0);
    }

    @Override
    public float dot(
            StoredBytes blocks,
            int offset,
            StoredBytes scales,
            int scaleOffset,
            float[] x,
            int xOffset,
            int count) {
        FloatVector a = FloatVector.zero(F);
        // One block a step, written out flat: with the steps in helper methods the JIT stops
        // inlining before the vector loads and the kernel runs at the scalar codec's speed.
        for (int g = 0; g < count / 32; g++) {
            int at = offset + 16 * g;
            int xi = xOffset + 32 * g;
            FloatVector t = FloatVector.zero(F);
            for (int c = 0; c < 16; c += L) {
                ByteVector packed = LOADS.bytes(B, blocks, at + c);
                ByteVector r0 = packed.rearrange(FIRST);
                ByteVector r1 = packed.rearrange(SECOND);
                ByteVector n0 =
                        r0.and((byte) 0x0f).blend(r0.lanewise(VectorOperators.LSHR, 4), ODD);
                ByteVector n1 =
                        r1.and((byte) 0x0f).blend(r1.lanewise(VectorOperators.LSHR, 4), ODD);
                t = twice(n0).fma(FloatVector.fromArray(F, x, xi + 2 * c), t);
                t = twice(n1).fma(FloatVector.fromArray(F, x, xi + 2 * c + L), t);
            }
            a = t.fma(FloatVector.broadcast(F, HALF_SCALE[scales.get(scaleOffset + g) & 0xff]), a);
        }
        return a.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The fast path: with x in split order the low nibbles of a block's 16 bytes pair with its
     * first 16 values and the high nibbles with the next 16, so no byte is repeated into two lanes
     * and no blend is needed (the loop of GGUF's MXFP4 layout, with the scales stored apart).
     */
    @Override
    public float dotSplit(
            StoredBytes blocks,
            int offset,
            StoredBytes scales,
            int scaleOffset,
            float[] split,
            int splitOffset,
            int count) {
        FloatVector a = FloatVector.zero(F);
        for (int g = 0; g < count / 32; g++) {
            int at = offset + 16 * g;
            int xi = splitOffset + 32 * g;
            FloatVector t = FloatVector.zero(F);
            for (int c = 0; c < 16; c += L) {
                ByteVector packed = LOADS.bytes(B, blocks, at + c);
                t = twice(packed.and((byte) 0x0f)).fma(FloatVector.fromArray(F, split, xi + c), t);
                t =
                        twice(packed.lanewise(VectorOperators.LSHR, 4))
                                .fma(FloatVector.fromArray(F, split, xi + 16 + c), t);
            }
            a = t.fma(FloatVector.broadcast(F, HALF_SCALE[scales.get(scaleOffset + g) & 0xff]), a);
        }
        return a.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public boolean prefersSplit() {
        return true;
    }

    @Override
    public void decode(
            StoredBytes blocks,
            int offset,
            StoredBytes scales,
            int scaleOffset,
            float[] out,
            int outOffset,
            int count) {
        for (int g = 0; g < count / 32; g++) {
            FloatVector d =
                    FloatVector.broadcast(F, HALF_SCALE[scales.get(scaleOffset + g) & 0xff]);
            for (int c = 0; c < 16; c += L) {
                ByteVector packed = LOADS.bytes(B, blocks, offset + 16 * g + c);
                int o = outOffset + 32 * g + 2 * c;
                ByteVector r0 = packed.rearrange(FIRST);
                ByteVector r1 = packed.rearrange(SECOND);
                ByteVector n0 =
                        r0.and((byte) 0x0f).blend(r0.lanewise(VectorOperators.LSHR, 4), ODD);
                ByteVector n1 =
                        r1.and((byte) 0x0f).blend(r1.lanewise(VectorOperators.LSHR, 4), ODD);
                twice(n0).mul(d).intoArray(out, o);
                twice(n1).mul(d).intoArray(out, o + L);
            }
        }
    }
}
