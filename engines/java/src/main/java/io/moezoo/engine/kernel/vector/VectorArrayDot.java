package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.ArrayDot;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link ArrayDot} with the preferred species and four accumulators. */
public final class VectorArrayDot implements ArrayDot {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Creates the kernel (reflectively, by {@link io.moezoo.engine.tensor.Codecs}). */
    public VectorArrayDot() {}

    /** {@inheritDoc} */
    @Override
    public float dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
        int lanes = S.length();
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int i = 0;
        for (; i + 4 * lanes <= n; i += 4 * lanes) {
            s0 =
                    FloatVector.fromArray(S, a, aOffset + i)
                            .fma(FloatVector.fromArray(S, b, bOffset + i), s0);
            s1 =
                    FloatVector.fromArray(S, a, aOffset + i + lanes)
                            .fma(FloatVector.fromArray(S, b, bOffset + i + lanes), s1);
            s2 =
                    FloatVector.fromArray(S, a, aOffset + i + 2 * lanes)
                            .fma(FloatVector.fromArray(S, b, bOffset + i + 2 * lanes), s2);
            s3 =
                    FloatVector.fromArray(S, a, aOffset + i + 3 * lanes)
                            .fma(FloatVector.fromArray(S, b, bOffset + i + 3 * lanes), s3);
        }
        for (; i + lanes <= n; i += lanes) {
            s0 =
                    FloatVector.fromArray(S, a, aOffset + i)
                            .fma(FloatVector.fromArray(S, b, bOffset + i), s0);
        }
        float sum = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    /** {@inheritDoc} */
    @Override
    public void addScaled(float a, float[] x, int xOffset, float[] y, int yOffset, int n) {
        int lanes = S.length();
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (; i + lanes <= n; i += lanes) {
            FloatVector.fromArray(S, x, xOffset + i)
                    .fma(va, FloatVector.fromArray(S, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        for (; i < n; i++) {
            y[yOffset + i] += a * x[xOffset + i];
        }
    }

    /** {@inheritDoc} */
    @Override
    public float expShifted(float[] x, int from, int to, float m) {
        int lanes = S.length();
        FloatVector shift = FloatVector.broadcast(S, m);
        FloatVector sums = FloatVector.zero(S);
        int i = from;
        for (; i + lanes <= to; i += lanes) {
            FloatVector e = FloatVector.fromArray(S, x, i).sub(shift).lanewise(VectorOperators.EXP);
            e.intoArray(x, i);
            sums = sums.add(e);
        }
        float sum = sums.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            x[i] = (float) Math.exp(x[i] - m);
            sum += x[i];
        }
        return sum;
    }

    /** {@inheritDoc} */
    @Override
    public void dot4x4(
            float[] a,
            int aOff,
            float[] b,
            int bOff,
            int bStride,
            int n,
            float[] out,
            int oOff,
            int oStride) {
        int lanes = S.length();
        if (n % lanes != 0) {
            ArrayDot.super.dot4x4(a, aOff, b, bOff, bStride, n, out, oOff, oStride);
            return;
        }
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S);
        FloatVector c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c22 = FloatVector.zero(S);
        FloatVector c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c32 = FloatVector.zero(S);
        FloatVector c33 = FloatVector.zero(S);
        for (int i = 0; i < n; i += lanes) {
            FloatVector a0 = FloatVector.fromArray(S, a, aOff + i);
            FloatVector a1 = FloatVector.fromArray(S, a, aOff + n + i);
            FloatVector a2 = FloatVector.fromArray(S, a, aOff + 2 * n + i);
            FloatVector a3 = FloatVector.fromArray(S, a, aOff + 3 * n + i);
            FloatVector b0 = FloatVector.fromArray(S, b, bOff + i);
            c00 = a0.fma(b0, c00);
            c01 = a1.fma(b0, c01);
            c02 = a2.fma(b0, c02);
            c03 = a3.fma(b0, c03);
            FloatVector b1 = FloatVector.fromArray(S, b, bOff + bStride + i);
            c10 = a0.fma(b1, c10);
            c11 = a1.fma(b1, c11);
            c12 = a2.fma(b1, c12);
            c13 = a3.fma(b1, c13);
            FloatVector b2 = FloatVector.fromArray(S, b, bOff + 2 * bStride + i);
            c20 = a0.fma(b2, c20);
            c21 = a1.fma(b2, c21);
            c22 = a2.fma(b2, c22);
            c23 = a3.fma(b2, c23);
            FloatVector b3 = FloatVector.fromArray(S, b, bOff + 3 * bStride + i);
            c30 = a0.fma(b3, c30);
            c31 = a1.fma(b3, c31);
            c32 = a2.fma(b3, c32);
            c33 = a3.fma(b3, c33);
        }
        VectorOperators.Associative add = VectorOperators.ADD;
        out[oOff] = c00.reduceLanes(add);
        out[oOff + 1] = c01.reduceLanes(add);
        out[oOff + 2] = c02.reduceLanes(add);
        out[oOff + 3] = c03.reduceLanes(add);
        out[oOff + oStride] = c10.reduceLanes(add);
        out[oOff + oStride + 1] = c11.reduceLanes(add);
        out[oOff + oStride + 2] = c12.reduceLanes(add);
        out[oOff + oStride + 3] = c13.reduceLanes(add);
        out[oOff + 2 * oStride] = c20.reduceLanes(add);
        out[oOff + 2 * oStride + 1] = c21.reduceLanes(add);
        out[oOff + 2 * oStride + 2] = c22.reduceLanes(add);
        out[oOff + 2 * oStride + 3] = c23.reduceLanes(add);
        out[oOff + 3 * oStride] = c30.reduceLanes(add);
        out[oOff + 3 * oStride + 1] = c31.reduceLanes(add);
        out[oOff + 3 * oStride + 2] = c32.reduceLanes(add);
        out[oOff + 3 * oStride + 3] = c33.reduceLanes(add);
    }
}
