package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import java.nio.ByteBuffer;
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

    private static FloatVector values(ByteBuffer data, int at) {
        ByteVector q = LOADS.bytes(B, data, at);
        // B2I then I2F: on Java 17 a direct B2F falls back to a slow path, these two do not.
        IntVector i = (IntVector) q.convertShape(VectorOperators.B2I, I, 0);
        return (FloatVector) i.convert(VectorOperators.I2F, 0);
    }

    /** Σ q_j·x_j over one block, in float32 lanes (q widened exactly). */
    private static FloatVector block(ByteBuffer data, int at, float[] x, int xi) {
        FloatVector t = values(data, at + 2).mul(FloatVector.fromArray(F, x, xi));
        for (int c = 1; c < CHUNKS; c++) {
            t = values(data, at + 2 + c * L).fma(FloatVector.fromArray(F, x, xi + c * L), t);
        }
        return t;
    }

    @Override
    public float dot(ByteBuffer data, int offset, float[] x, int xOffset, int count) {
        int blocks = count / 32;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int b = 0;
        for (; b + 1 < blocks; b += 2) {
            int at = offset + 34 * b;
            int xi = xOffset + 32 * b;
            FloatVector t0 = block(data, at, x, xi);
            FloatVector t1 = block(data, at + 34, x, xi + 32);
            a0 = t0.fma(FloatVector.broadcast(F, BlockScales.f16(data, at)), a0);
            a1 = t1.fma(FloatVector.broadcast(F, BlockScales.f16(data, at + 34)), a1);
        }
        if (b < blocks) {
            int at = offset + 34 * b;
            FloatVector t = block(data, at, x, xOffset + 32 * b);
            a0 = t.fma(FloatVector.broadcast(F, BlockScales.f16(data, at)), a0);
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void decode(ByteBuffer data, int offset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / 32; b++) {
            int at = offset + 34 * b;
            FloatVector d = FloatVector.broadcast(F, BlockScales.f16(data, at));
            for (int c = 0; c < CHUNKS; c++) {
                values(data, at + 2 + c * L).mul(d).intoArray(out, outOffset + 32 * b + c * L);
            }
        }
    }
}
