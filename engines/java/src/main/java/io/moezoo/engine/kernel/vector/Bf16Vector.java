package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.formats.Half;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * bfloat16 rows: lanes of 16-bit values are widened to int, shifted into the high half and
 * reinterpreted as float32, then multiplied with two accumulators.
 */
final class Bf16Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> H =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorLoads LOADS = VectorLoads.INSTANCE;

    private static FloatVector widen(StoredBytes data, int byteOffset) {
        ShortVector s = LOADS.shorts(H, data, byteOffset);
        IntVector i = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
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
            sum += Half.bf16(data.getShort(offset + 2 * i)) * x[xOffset + i];
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
            out[outOffset + i] = Half.bf16(data.getShort(offset + 2 * i));
        }
    }
}
