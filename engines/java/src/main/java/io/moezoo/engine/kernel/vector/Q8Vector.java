package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.zoo.checkpoint.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml Q8_0 rows (34-byte blocks: F16 scale d, 32 int8 q): each chunk of the preferred float
 * species' lane count is loaded as bytes of a quarter-width species, widened to float32 ({@code
 * B2F}) and scaled by d, which is exact, then multiplied into the accumulators (two blocks per
 * step, two accumulators). Needs a float species of 8 to 32 lanes (256 to 1024 bits).
 */
final class Q8Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final int L = F.length();
    private static final int CHUNKS = 32 / L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static FloatVector weights(ByteBuffer data, int at, FloatVector d) {
        ByteVector q = ByteVector.fromByteBuffer(B, data, at, LE);
        return ((FloatVector) q.convertShape(VectorOperators.B2F, F, 0)).mul(d);
    }

    @Override
    public float dot(ByteBuffer data, int offset, float[] x, int xOffset, int count) {
        int blocks = count / 32;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int b = 0;
        for (; b + 1 < blocks; b += 2) {
            int at0 = offset + 34 * b;
            int at1 = at0 + 34;
            FloatVector d0 = FloatVector.broadcast(F, Half.f16(data.getShort(at0)));
            FloatVector d1 = FloatVector.broadcast(F, Half.f16(data.getShort(at1)));
            int x0 = xOffset + 32 * b;
            for (int c = 0; c < CHUNKS; c++) {
                a0 =
                        weights(data, at0 + 2 + c * L, d0)
                                .fma(FloatVector.fromArray(F, x, x0 + c * L), a0);
                a1 =
                        weights(data, at1 + 2 + c * L, d1)
                                .fma(FloatVector.fromArray(F, x, x0 + 32 + c * L), a1);
            }
        }
        for (; b < blocks; b++) {
            int at = offset + 34 * b;
            FloatVector d = FloatVector.broadcast(F, Half.f16(data.getShort(at)));
            for (int c = 0; c < CHUNKS; c++) {
                a0 =
                        weights(data, at + 2 + c * L, d)
                                .fma(FloatVector.fromArray(F, x, xOffset + 32 * b + c * L), a0);
            }
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void decode(ByteBuffer data, int offset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / 32; b++) {
            int at = offset + 34 * b;
            FloatVector d = FloatVector.broadcast(F, Half.f16(data.getShort(at)));
            for (int c = 0; c < CHUNKS; c++) {
                weights(data, at + 2 + c * L, d).intoArray(out, outOffset + 32 * b + c * L);
            }
        }
    }
}
