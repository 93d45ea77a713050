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
 * reinterpreted as float32, then multiplied with two accumulators. With x in {@link
 * io.moezoo.engine.tensor.SplitOrder split order} ({@link #dotSplit}, the decode path) no widening
 * is needed: 32-bit lanes hold two values each, the even one becomes a float by a shift left by 16
 * and the odd one by clearing the low half, so a block of 32 costs one load, a shift, an and and
 * two multiply-adds.
 */
final class Bf16Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> H =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorLoads LOADS = VectorLoads.INSTANCE;
    private static final int L = F.length();

    /** Int vectors per block of 32 values (each holds 2L values). */
    private static final int PER_BLOCK = 32 / (2 * L);

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

    /** {@inheritDoc} */
    @Override
    public boolean prefersSplit() {
        return 2 * L <= 32;
    }

    /** {@inheritDoc} */
    @Override
    public float dotSplit(StoredBytes data, int offset, float[] split, int splitOffset, int count) {
        if (2 * L > 32) {
            return RowCodec.super.dotSplit(data, offset, split, splitOffset, count);
        }
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int b = 0;
        for (; b + 64 <= count; b += 64) {
            for (int c = 0; c < PER_BLOCK; c++) {
                int lane = c * L;
                IntVector v =
                        LOADS.floats(F, data, offset + 2 * (b + 2 * lane)).reinterpretAsInts();
                IntVector u =
                        LOADS.floats(F, data, offset + 2 * (b + 32 + 2 * lane)).reinterpretAsInts();
                int s = splitOffset + b + lane;
                a0 = even(v).fma(FloatVector.fromArray(F, split, s), a0);
                a1 = odd(v).fma(FloatVector.fromArray(F, split, s + 16), a1);
                a2 = even(u).fma(FloatVector.fromArray(F, split, s + 32), a2);
                a3 = odd(u).fma(FloatVector.fromArray(F, split, s + 48), a3);
            }
        }
        for (; b < count; b += 32) {
            for (int c = 0; c < PER_BLOCK; c++) {
                int lane = c * L;
                IntVector v =
                        LOADS.floats(F, data, offset + 2 * (b + 2 * lane)).reinterpretAsInts();
                int s = splitOffset + b + lane;
                a0 = even(v).fma(FloatVector.fromArray(F, split, s), a0);
                a1 = odd(v).fma(FloatVector.fromArray(F, split, s + 16), a1);
            }
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }

    /** The even values of 32-bit lanes holding two bfloat16s each (the low halves). */
    private static FloatVector even(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** The odd values of 32-bit lanes holding two bfloat16s each (the high halves). */
    private static FloatVector odd(IntVector v) {
        return v.lanewise(VectorOperators.AND, 0xFFFF0000).reinterpretAsFloats();
    }
}
