package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.formats.Half;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * IEEE half rows, widened in int lanes: exponent and mantissa shifted into float32 position and
 * rebiased; infinities and NaNs (exponent 31) rebiased once more, keeping the payload; subnormals
 * (exponent 0) given exponent 2^-14 and then 2^-14 subtracted, which is exact. The result equals
 * {@link Half#f16} bit for bit. Dot products use two accumulators.
 */
final class F16Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> H =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorLoads LOADS = VectorLoads.INSTANCE;
    private static final int EXPONENT = 0x7c00 << 13;
    private static final int REBIAS = (127 - 15) << 23;
    private static final float SUBNORMAL_BASE = 0x1p-14f;

    static FloatVector widen(StoredBytes data, int byteOffset) {
        ShortVector s = LOADS.shorts(H, data, byteOffset);
        IntVector h = ((IntVector) s.convertShape(VectorOperators.S2I, I, 0)).and(0xffff);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector o = h.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
        IntVector exponent = o.and(EXPONENT);
        o = o.add(REBIAS);
        VectorMask<Integer> special = exponent.eq(EXPONENT);
        VectorMask<Integer> subnormal = exponent.eq(0);
        o = o.add(IntVector.broadcast(I, REBIAS), special);
        o = o.add(IntVector.broadcast(I, 1 << 23), subnormal);
        FloatVector f =
                o.reinterpretAsFloats()
                        .sub(FloatVector.broadcast(F, SUBNORMAL_BASE), subnormal.cast(F));
        return f.reinterpretAsInts().or(sign).reinterpretAsFloats();
    }

    @Override
    public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
        int lanes = F.length();
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * lanes <= count; i += 2 * lanes) {
            a0 = widen(data, offset + 2 * i).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
            a1 =
                    widen(data, offset + 2 * (i + lanes))
                            .fma(FloatVector.fromArray(F, x, xOffset + i + lanes), a1);
        }
        for (; i + lanes <= count; i += lanes) {
            a0 = widen(data, offset + 2 * i).fma(FloatVector.fromArray(F, x, xOffset + i), a0);
        }
        float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            sum += Half.f16(data.getShort(offset + 2 * i)) * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
        int lanes = F.length();
        int i = 0;
        for (; i + lanes <= count; i += lanes) {
            widen(data, offset + 2 * i).intoArray(out, outOffset + i);
        }
        for (; i < count; i++) {
            out[outOffset + i] = Half.f16(data.getShort(offset + 2 * i));
        }
    }
}
