package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.StoredBytes;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml Q4_0 rows (18-byte blocks: F16 scale d, 16 bytes whose low nibbles are elements 0..15 and
 * high nibbles elements 16..31): the packed bytes are loaded as a quarter-width byte species, split
 * into nibbles minus 8 in byte lanes and widened to float32 ({@code B2I}, {@code I2F}); a block's
 * {@code Σ (q − 8)·x} is formed in lanes and then scaled by d into two accumulators (even and odd
 * blocks), so the dot is {@code Σ ((q − 8)·d)·x} up to rounding order. Decode is {@code (q − 8)·d},
 * exact. Needs a float species of 8 or 16 lanes (256 or 512 bits).
 */
final class Q4Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    private static final int CHUNKS = 16 / L;
    private static final VectorLoads LOADS = VectorLoads.INSTANCE;

    /** Java 22+ widens bytes to floats in one conversion (as {@code Q8Vector}). */
    private static final boolean DIRECT_B2F = Runtime.version().feature() >= 22;

    private static FloatVector widen(ByteVector nibbles) {
        if (DIRECT_B2F) {
            return (FloatVector) nibbles.sub((byte) 8).convertShape(VectorOperators.B2F, F, 0);
        }
        // B2I then I2F: on Java 17 a direct B2F fell back to a slow path, these two do not.
        IntVector i = (IntVector) nibbles.sub((byte) 8).convertShape(VectorOperators.B2I, I, 0);
        return (FloatVector) i.convertShape(VectorOperators.I2F, F, 0);
    }

    /** Σ (q_j − 8)·x_j over one block, in float32 lanes. */
    private static FloatVector block(StoredBytes data, int at, float[] x, int xi) {
        FloatVector t = FloatVector.zero(F);
        for (int c = 0; c < CHUNKS; c++) {
            ByteVector packed = LOADS.bytes(B, data, at + 2 + c * L);
            t = widen(packed.and((byte) 0x0f)).fma(FloatVector.fromArray(F, x, xi + c * L), t);
            t =
                    widen(packed.lanewise(VectorOperators.LSHR, 4))
                            .fma(FloatVector.fromArray(F, x, xi + 16 + c * L), t);
        }
        return t;
    }

    @Override
    public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
        return DIRECT_B2F
                ? dotAlternating(data, offset, x, xOffset, count / 32)
                : dotPairs(data, offset, x, xOffset, count / 32);
    }

    /**
     * Java 22+, rows read in place from mapped memory: one block a step with two alternating
     * accumulators (even blocks in one, odd in the other), the loop shape that streams best (see
     * {@code Q8Vector.dot}; 2-layer OLMoE Q4_0 decode on Java 25: 36.8 to 49 tokens/s).
     */
    private static float dotAlternating(
            StoredBytes data, int offset, float[] x, int xOffset, int blocks) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < blocks; b++) {
            int at = offset + 18 * b;
            FloatVector t = block(data, at, x, xOffset + 32 * b);
            FloatVector next = t.fma(FloatVector.broadcast(F, LOADS.f16(data, at)), a1);
            a1 = a0;
            a0 = next;
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    /**
     * Java 17 and 18, rows staged in a heap copy (in cache): two blocks a step, the faster shape
     * there (in-cache {@code KernelRun}: 7.7-7.9 against 6.4 G weights/s per thread).
     */
    private static float dotPairs(
            StoredBytes data, int offset, float[] x, int xOffset, int blocks) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int b = 0;
        for (; b + 1 < blocks; b += 2) {
            int at = offset + 18 * b;
            int xi = xOffset + 32 * b;
            FloatVector t0 = block(data, at, x, xi);
            FloatVector t1 = block(data, at + 18, x, xi + 32);
            a0 = t0.fma(FloatVector.broadcast(F, LOADS.f16(data, at)), a0);
            a1 = t1.fma(FloatVector.broadcast(F, LOADS.f16(data, at + 18)), a1);
        }
        if (b < blocks) {
            int at = offset + 18 * b;
            FloatVector t = block(data, at, x, xOffset + 32 * b);
            a0 = t.fma(FloatVector.broadcast(F, LOADS.f16(data, at)), a0);
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / 32; b++) {
            int at = offset + 18 * b;
            FloatVector d = FloatVector.broadcast(F, LOADS.f16(data, at));
            int o = outOffset + 32 * b;
            for (int c = 0; c < CHUNKS; c++) {
                ByteVector packed = LOADS.bytes(B, data, at + 2 + c * L);
                widen(packed.and((byte) 0x0f)).mul(d).intoArray(out, o + c * L);
                widen(packed.lanewise(VectorOperators.LSHR, 4))
                        .mul(d)
                        .intoArray(out, o + 16 + c * L);
            }
        }
    }
}
