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
 * accumulators (two blocks per step, two accumulators), so the dot is {@code Σ (q·d)·x} up to
 * rounding order. Decode is {@code q·d}, exact. Needs a float species of 8 to 32 lanes (256 to 1024
 * bits).
 */
final class Q8Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    private static final int CHUNKS = 32 / L;
    private static final VectorLoads LOADS = VectorLoads.INSTANCE;

    private static FloatVector values(StoredBytes data, int at) {
        ByteVector q = LOADS.bytes(B, data, at);
        // B2I then I2F: on Java 17 a direct B2F falls back to a slow path, these two do not.
        IntVector i = (IntVector) q.convertShape(VectorOperators.B2I, I, 0);
        return (FloatVector) i.convertShape(VectorOperators.I2F, F, 0);
    }

    @Override
    public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
        int blocks = count / 32;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int b = 0;
        // Two blocks a step, written out flat: the JIT inlines the whole loop only while the
        // call chain down to the vector loads stays short.
        for (; b + 1 < blocks; b += 2) {
            int at = offset + 34 * b;
            int xi = xOffset + 32 * b;
            FloatVector t0 = values(data, at + 2).mul(FloatVector.fromArray(F, x, xi));
            FloatVector t1 = values(data, at + 36).mul(FloatVector.fromArray(F, x, xi + 32));
            for (int c = 1; c < CHUNKS; c++) {
                int k = c * L;
                t0 = values(data, at + 2 + k).fma(FloatVector.fromArray(F, x, xi + k), t0);
                t1 = values(data, at + 36 + k).fma(FloatVector.fromArray(F, x, xi + 32 + k), t1);
            }
            a0 = t0.fma(FloatVector.broadcast(F, LOADS.f16(data, at)), a0);
            a1 = t1.fma(FloatVector.broadcast(F, LOADS.f16(data, at + 34)), a1);
        }
        if (b < blocks) {
            int at = offset + 34 * b;
            int xi = xOffset + 32 * b;
            FloatVector t = values(data, at + 2).mul(FloatVector.fromArray(F, x, xi));
            for (int c = 1; c < CHUNKS; c++) {
                t = values(data, at + 2 + c * L).fma(FloatVector.fromArray(F, x, xi + c * L), t);
            }
            a0 = t.fma(FloatVector.broadcast(F, LOADS.f16(data, at)), a0);
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
}
