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

    /**
     * Two or three vectors in split order (a decode step of a small batch): each pair of blocks is
     * loaded and split into its even and odd values once and multiplied with every vector, each
     * vector's sum formed exactly as {@link #dotSplit} forms it.
     */
    @Override
    public void dotSplitTokens(
            StoredBytes data,
            int offset,
            float[] split,
            int splitOffset,
            int count,
            int tokens,
            float[] out,
            int outOffset,
            int outStride) {
        if (tokens < 2 || tokens > 3 || 2 * L > 32) {
            RowCodec.super.dotSplitTokens(
                    data, offset, split, splitOffset, count, tokens, out, outOffset, outStride);
        } else if (tokens == 2) {
            splitDot2(data, offset, split, splitOffset, count, out, outOffset, outStride);
        } else {
            splitDot3(data, offset, split, splitOffset, count, out, outOffset, outStride);
        }
    }

    /** Two vectors in split order (one method per count, as in {@code Q8Vector}). */
    private static void splitDot2(
            StoredBytes data,
            int offset,
            float[] split,
            int splitOffset,
            int count,
            float[] out,
            int o,
            int stride) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z;
        int x0 = splitOffset + 0;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z;
        int x1 = splitOffset + count;
        int b = 0;
        for (; b + 64 <= count; b += 64) {
            for (int c = 0; c < PER_BLOCK; c++) {
                int lane = c * L;
                IntVector v =
                        LOADS.floats(F, data, offset + 2 * (b + 2 * lane)).reinterpretAsInts();
                IntVector u =
                        LOADS.floats(F, data, offset + 2 * (b + 32 + 2 * lane)).reinterpretAsInts();
                FloatVector ve = even(v), vo = odd(v), ue = even(u), uo = odd(u);
                int s = b + lane;
                a00 = ve.fma(FloatVector.fromArray(F, split, x0 + s), a00);
                a01 = vo.fma(FloatVector.fromArray(F, split, x0 + s + 16), a01);
                a02 = ue.fma(FloatVector.fromArray(F, split, x0 + s + 32), a02);
                a03 = uo.fma(FloatVector.fromArray(F, split, x0 + s + 48), a03);
                a10 = ve.fma(FloatVector.fromArray(F, split, x1 + s), a10);
                a11 = vo.fma(FloatVector.fromArray(F, split, x1 + s + 16), a11);
                a12 = ue.fma(FloatVector.fromArray(F, split, x1 + s + 32), a12);
                a13 = uo.fma(FloatVector.fromArray(F, split, x1 + s + 48), a13);
            }
        }
        for (; b < count; b += 32) {
            for (int c = 0; c < PER_BLOCK; c++) {
                int lane = c * L;
                IntVector v =
                        LOADS.floats(F, data, offset + 2 * (b + 2 * lane)).reinterpretAsInts();
                FloatVector ve = even(v), vo = odd(v);
                int s = b + lane;
                a00 = ve.fma(FloatVector.fromArray(F, split, x0 + s), a00);
                a01 = vo.fma(FloatVector.fromArray(F, split, x0 + s + 16), a01);
                a10 = ve.fma(FloatVector.fromArray(F, split, x1 + s), a10);
                a11 = vo.fma(FloatVector.fromArray(F, split, x1 + s + 16), a11);
            }
        }
        out[o] = a00.add(a01).add(a02.add(a03)).reduceLanes(VectorOperators.ADD);
        out[o + stride] = a10.add(a11).add(a12.add(a13)).reduceLanes(VectorOperators.ADD);
    }

    /** Three vectors in split order (one method per count, as in {@code Q8Vector}). */
    private static void splitDot3(
            StoredBytes data,
            int offset,
            float[] split,
            int splitOffset,
            int count,
            float[] out,
            int o,
            int stride) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z;
        int x0 = splitOffset + 0;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z;
        int x1 = splitOffset + count;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z;
        int x2 = splitOffset + 2 * count;
        int b = 0;
        for (; b + 64 <= count; b += 64) {
            for (int c = 0; c < PER_BLOCK; c++) {
                int lane = c * L;
                IntVector v =
                        LOADS.floats(F, data, offset + 2 * (b + 2 * lane)).reinterpretAsInts();
                IntVector u =
                        LOADS.floats(F, data, offset + 2 * (b + 32 + 2 * lane)).reinterpretAsInts();
                FloatVector ve = even(v), vo = odd(v), ue = even(u), uo = odd(u);
                int s = b + lane;
                a00 = ve.fma(FloatVector.fromArray(F, split, x0 + s), a00);
                a01 = vo.fma(FloatVector.fromArray(F, split, x0 + s + 16), a01);
                a02 = ue.fma(FloatVector.fromArray(F, split, x0 + s + 32), a02);
                a03 = uo.fma(FloatVector.fromArray(F, split, x0 + s + 48), a03);
                a10 = ve.fma(FloatVector.fromArray(F, split, x1 + s), a10);
                a11 = vo.fma(FloatVector.fromArray(F, split, x1 + s + 16), a11);
                a12 = ue.fma(FloatVector.fromArray(F, split, x1 + s + 32), a12);
                a13 = uo.fma(FloatVector.fromArray(F, split, x1 + s + 48), a13);
                a20 = ve.fma(FloatVector.fromArray(F, split, x2 + s), a20);
                a21 = vo.fma(FloatVector.fromArray(F, split, x2 + s + 16), a21);
                a22 = ue.fma(FloatVector.fromArray(F, split, x2 + s + 32), a22);
                a23 = uo.fma(FloatVector.fromArray(F, split, x2 + s + 48), a23);
            }
        }
        for (; b < count; b += 32) {
            for (int c = 0; c < PER_BLOCK; c++) {
                int lane = c * L;
                IntVector v =
                        LOADS.floats(F, data, offset + 2 * (b + 2 * lane)).reinterpretAsInts();
                FloatVector ve = even(v), vo = odd(v);
                int s = b + lane;
                a00 = ve.fma(FloatVector.fromArray(F, split, x0 + s), a00);
                a01 = vo.fma(FloatVector.fromArray(F, split, x0 + s + 16), a01);
                a10 = ve.fma(FloatVector.fromArray(F, split, x1 + s), a10);
                a11 = vo.fma(FloatVector.fromArray(F, split, x1 + s + 16), a11);
                a20 = ve.fma(FloatVector.fromArray(F, split, x2 + s), a20);
                a21 = vo.fma(FloatVector.fromArray(F, split, x2 + s + 16), a21);
            }
        }
        out[o] = a00.add(a01).add(a02.add(a03)).reduceLanes(VectorOperators.ADD);
        out[o + stride] = a10.add(a11).add(a12.add(a13)).reduceLanes(VectorOperators.ADD);
        out[o + 2 * stride] = a20.add(a21).add(a22.add(a23)).reduceLanes(VectorOperators.ADD);
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
