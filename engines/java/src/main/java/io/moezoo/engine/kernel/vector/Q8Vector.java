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
 * ggml Q8_0 rows (34-byte blocks: F16 scale d, 32 int8 q): each chunk of the preferred float
 * species' lane count is loaded as bytes of a quarter-width species and widened to float32 ({@code
 * B2I}, {@code I2F}); a block's {@code Σ q·x} is formed in lanes and then scaled by d into the
 * accumulators (one block per step, two alternating accumulators), so the dot is {@code Σ (q·d)·x}
 * up to rounding order. Decode is {@code q·d}, exact. Needs a float species of 8 to 32 lanes (256
 * to 1024 bits).
 */
final class Q8Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    private static final int CHUNKS = 32 / L;
    private static final VectorLoads LOADS = VectorLoads.INSTANCE;

    /** Java 22+ widens bytes to floats in one conversion (in-cache Q8_0 rows: 7% faster there). */
    private static final boolean DIRECT_B2F = Runtime.version().feature() >= 22;

    private static FloatVector values(StoredBytes data, int at) {
        ByteVector q = LOADS.bytes(B, data, at);
        if (DIRECT_B2F) {
            return (FloatVector) q.convertShape(VectorOperators.B2F, F, 0);
        }
        // B2I then I2F: on Java 17 a direct B2F fell back to a slow path, these two do not.
        IntVector i = (IntVector) q.convertShape(VectorOperators.B2I, I, 0);
        return (FloatVector) i.convertShape(VectorOperators.I2F, F, 0);
    }

    @Override
    public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
        int blocks = count / 32;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        // One block a step, two accumulators taking turns: even blocks sum in one register, odd
        // ones in the other, as two blocks a step with a tail block did, but this simple loop
        // reads mapped rows from memory faster (ProductRun's lm_head, one contiguous part per
        // thread, Java 25: 8.8-9.3 GB/s before, 10.0-13.5 after, with the direct B2F).
        for (int b = 0; b < blocks; b++) {
            int at = offset + 34 * b;
            int xi = xOffset + 32 * b;
            FloatVector t = values(data, at + 2).mul(FloatVector.fromArray(F, x, xi));
            for (int c = 1; c < CHUNKS; c++) {
                t = values(data, at + 2 + c * L).fma(FloatVector.fromArray(F, x, xi + c * L), t);
            }
            FloatVector next = t.fma(FloatVector.broadcast(F, LOADS.f16(data, at)), a1);
            a1 = a0;
            a0 = next;
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / 32; b++) {
            int at = offset + 34 * b;
            FloatVector d = FloatVector.broadcast(F, LOADS.f16(data, at));
            for (int c = 0; c < CHUNKS; c++) {
                values(data, at + 2 + c * L).mul(d).intoArray(out, outOffset + 32 * b + c * L);
            }
        }
    }

    /**
     * Two or three vectors (the products that read rows in place): each block's values are widened
     * once and multiplied with every vector, each vector's sum formed exactly as {@link #dot} forms
     * it (so a batch of sequences decodes to the same values as one sequence at a time).
     */
    @Override
    public void dotTokens(
            StoredBytes data,
            int offset,
            float[] x,
            int xOffset,
            int count,
            int tokens,
            float[] out,
            int outOffset,
            int outStride) {
        if (tokens < 2 || tokens > 3 || CHUNKS != 2) {
            RowCodec.super.dotTokens(
                    data, offset, x, xOffset, count, tokens, out, outOffset, outStride);
            return;
        }
        if (tokens == 2) {
            dot2(data, offset, x, xOffset, count, out, outOffset, outStride);
        } else {
            dot3(data, offset, x, xOffset, count, out, outOffset, outStride);
        }
    }

    /** Two vectors (one method per count: a branchy one compiled poorly). */
    private static void dot2(
            StoredBytes data,
            int offset,
            float[] x,
            int xOffset,
            int count,
            float[] out,
            int o,
            int stride) {
        int blocks = count / 32;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z;
        FloatVector a10 = z, a11 = z;
        int x0 = xOffset;
        int x1 = xOffset + count;
        for (int b = 0; b < blocks; b++) {
            int at = offset + 34 * b;
            int c = 32 * b;
            FloatVector v0 = values(data, at + 2);
            FloatVector v1 = values(data, at + 2 + L);
            FloatVector d = FloatVector.broadcast(F, LOADS.f16(data, at));
            FloatVector t0 =
                    v1.fma(
                            FloatVector.fromArray(F, x, x0 + c + L),
                            v0.mul(FloatVector.fromArray(F, x, x0 + c)));
            FloatVector n0 = t0.fma(d, a01);
            a01 = a00;
            a00 = n0;
            FloatVector t1 =
                    v1.fma(
                            FloatVector.fromArray(F, x, x1 + c + L),
                            v0.mul(FloatVector.fromArray(F, x, x1 + c)));
            FloatVector n1 = t1.fma(d, a11);
            a11 = a10;
            a10 = n1;
        }
        out[o] = a00.add(a01).reduceLanes(VectorOperators.ADD);
        out[o + stride] = a10.add(a11).reduceLanes(VectorOperators.ADD);
    }

    /** Three vectors (one method per count: a branchy one compiled poorly). */
    private static void dot3(
            StoredBytes data,
            int offset,
            float[] x,
            int xOffset,
            int count,
            float[] out,
            int o,
            int stride) {
        int blocks = count / 32;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z;
        FloatVector a10 = z, a11 = z;
        FloatVector a20 = z, a21 = z;
        int x0 = xOffset;
        int x1 = xOffset + count;
        int x2 = xOffset + 2 * count;
        for (int b = 0; b < blocks; b++) {
            int at = offset + 34 * b;
            int c = 32 * b;
            FloatVector v0 = values(data, at + 2);
            FloatVector v1 = values(data, at + 2 + L);
            FloatVector d = FloatVector.broadcast(F, LOADS.f16(data, at));
            FloatVector t0 =
                    v1.fma(
                            FloatVector.fromArray(F, x, x0 + c + L),
                            v0.mul(FloatVector.fromArray(F, x, x0 + c)));
            FloatVector n0 = t0.fma(d, a01);
            a01 = a00;
            a00 = n0;
            FloatVector t1 =
                    v1.fma(
                            FloatVector.fromArray(F, x, x1 + c + L),
                            v0.mul(FloatVector.fromArray(F, x, x1 + c)));
            FloatVector n1 = t1.fma(d, a11);
            a11 = a10;
            a10 = n1;
            FloatVector t2 =
                    v1.fma(
                            FloatVector.fromArray(F, x, x2 + c + L),
                            v0.mul(FloatVector.fromArray(F, x, x2 + c)));
            FloatVector n2 = t2.fma(d, a21);
            a21 = a20;
            a20 = n2;
        }
        out[o] = a00.add(a01).reduceLanes(VectorOperators.ADD);
        out[o + stride] = a10.add(a11).reduceLanes(VectorOperators.ADD);
        out[o + 2 * stride] = a20.add(a21).reduceLanes(VectorOperators.ADD);
    }
}
