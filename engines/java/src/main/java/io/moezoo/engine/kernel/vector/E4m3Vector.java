package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.formats.Half;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * FP8 e4m3fn rows (unscaled: the matrix applies the block scales), widened in int lanes: exponent
 * and mantissa shifted into float32 position and rebiased by 120; subnormals (exponent 0) given
 * exponent 2^-6 and then 2^-6 subtracted (exact); {@code S.1111.111} is NaN (e4m3fn has no
 * infinities). Bit for bit {@link Half#e4m3}. Needs a float species of at least 8 lanes.
 */
final class E4m3Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorLoads LOADS = VectorLoads.INSTANCE;
    private static final int REBIAS = (127 - 7) << 23;
    private static final int NAN = Float.floatToRawIntBits(Float.NaN);

    static FloatVector widen(StoredBytes data, int byteOffset) {
        ByteVector q = LOADS.bytes(B, data, byteOffset);
        IntVector b = ((IntVector) q.convertShape(VectorOperators.B2I, I, 0)).and(0xff);
        IntVector sign = b.and(0x80).lanewise(VectorOperators.LSHL, 24);
        IntVector em = b.and(0x7f);
        VectorMask<Integer> nan = em.eq(0x7f);
        VectorMask<Integer> subnormal = em.and(0x78).eq(0);
        IntVector o = em.lanewise(VectorOperators.LSHL, 20).add(REBIAS);
        o = o.add(IntVector.broadcast(I, 1 << 23), subnormal);
        FloatVector f =
                o.reinterpretAsFloats().sub(FloatVector.broadcast(F, 0x1p-6f), subnormal.cast(F));
        IntVector bits = f.reinterpretAsInts().blend(IntVector.broadcast(I, NAN), nan);
        return bits.or(sign).reinterpretAsFloats();
    }

    @Override
    public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
        int lanes = F.length();
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * lanes <= count; i += 2 * lanes) {
            a0 = widen(data, offset + i).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 =
                    widen(data, offset + i + lanes)
                            .fma(FloatVector.fromArray(F, x, xOffset + i + lanes), a1);
        }
        for (; i + lanes <= count; i += lanes) {
            a0 = widen(data, offset + i).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
        }
        float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            sum += Half.e4m3(data.get(offset + i)) * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
        int lanes = F.length();
        int i = 0;
        for (; i + lanes <= count; i += lanes) {
            widen(data, offset + i).intoArray(out, outOffset + i);
        }
        for (; i < count; i++) {
            out[outOffset + i] = Half.e4m3(data.get(offset + i));
        }
    }
}
