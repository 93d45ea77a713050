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

    /** {@inheritDoc} */
    @Override
    public int tokenLanes() {
        return S.length();
    }

    /** {@inheritDoc} */
    @Override
    public void rowsByTokens(
            float[][] rows,
            int first,
            int count,
            int from,
            int n,
            float[] xT,
            int xtOff,
            int width,
            float[] out,
            int outOff,
            boolean accumulate) {
        int lanes = S.length();
        if (count == 8 && width == lanes) {
            rows8x1(rows, first, from, n, xT, xtOff, out, outOff, accumulate);
        } else if (count == 8 && width == 2 * lanes) {
            rows8x2(rows, first, from, n, xT, xtOff, out, outOff, accumulate);
        } else if (width % lanes == 0) {
            // A short tile (the last rows of a product): one row and one token vector at a time.
            for (int r = 0; r < count; r++) {
                float[] row = rows[first + r];
                for (int j = 0; j < width; j += lanes) {
                    int o = outOff + r * width + j;
                    FloatVector c =
                            accumulate ? FloatVector.fromArray(S, out, o) : FloatVector.zero(S);
                    for (int k = 0; k < n; k++) {
                        FloatVector w = FloatVector.broadcast(S, row[from + k]);
                        c = w.fma(FloatVector.fromArray(S, xT, xtOff + k * width + j), c);
                    }
                    c.intoArray(out, o);
                }
            }
        } else {
            ArrayDot.super.rowsByTokens(
                    rows, first, count, from, n, xT, xtOff, width, out, outOff, accumulate);
        }
    }

    /** 8 rows times one token vector (8 accumulators). */
    private static void rows8x1(
            float[][] rows,
            int f,
            int from,
            int n,
            float[] xT,
            int xt,
            float[] out,
            int o,
            boolean accumulate) {
        int lanes = S.length();
        float[] w0 = rows[f];
        float[] w1 = rows[f + 1];
        float[] w2 = rows[f + 2];
        float[] w3 = rows[f + 3];
        float[] w4 = rows[f + 4];
        float[] w5 = rows[f + 5];
        float[] w6 = rows[f + 6];
        float[] w7 = rows[f + 7];
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = accumulate ? FloatVector.fromArray(S, out, o + 0) : z;
        FloatVector c10 = accumulate ? FloatVector.fromArray(S, out, o + lanes) : z;
        FloatVector c20 = accumulate ? FloatVector.fromArray(S, out, o + 2 * lanes) : z;
        FloatVector c30 = accumulate ? FloatVector.fromArray(S, out, o + 3 * lanes) : z;
        FloatVector c40 = accumulate ? FloatVector.fromArray(S, out, o + 4 * lanes) : z;
        FloatVector c50 = accumulate ? FloatVector.fromArray(S, out, o + 5 * lanes) : z;
        FloatVector c60 = accumulate ? FloatVector.fromArray(S, out, o + 6 * lanes) : z;
        FloatVector c70 = accumulate ? FloatVector.fromArray(S, out, o + 7 * lanes) : z;
        for (int k = 0; k < n; k++) {
            int x = xt + k * lanes;
            int i = from + k;
            FloatVector x0 = FloatVector.fromArray(S, xT, x);
            FloatVector w;
            w = FloatVector.broadcast(S, w0[i]);
            c00 = w.fma(x0, c00);
            w = FloatVector.broadcast(S, w1[i]);
            c10 = w.fma(x0, c10);
            w = FloatVector.broadcast(S, w2[i]);
            c20 = w.fma(x0, c20);
            w = FloatVector.broadcast(S, w3[i]);
            c30 = w.fma(x0, c30);
            w = FloatVector.broadcast(S, w4[i]);
            c40 = w.fma(x0, c40);
            w = FloatVector.broadcast(S, w5[i]);
            c50 = w.fma(x0, c50);
            w = FloatVector.broadcast(S, w6[i]);
            c60 = w.fma(x0, c60);
            w = FloatVector.broadcast(S, w7[i]);
            c70 = w.fma(x0, c70);
        }
        c00.intoArray(out, o);
        c10.intoArray(out, o + lanes);
        c20.intoArray(out, o + 2 * lanes);
        c30.intoArray(out, o + 3 * lanes);
        c40.intoArray(out, o + 4 * lanes);
        c50.intoArray(out, o + 5 * lanes);
        c60.intoArray(out, o + 6 * lanes);
        c70.intoArray(out, o + 7 * lanes);
    }

    /** 8 rows times two token vectors (16 accumulators). */
    private static void rows8x2(
            float[][] rows,
            int f,
            int from,
            int n,
            float[] xT,
            int xt,
            float[] out,
            int o,
            boolean accumulate) {
        int lanes = S.length();
        float[] w0 = rows[f];
        float[] w1 = rows[f + 1];
        float[] w2 = rows[f + 2];
        float[] w3 = rows[f + 3];
        float[] w4 = rows[f + 4];
        float[] w5 = rows[f + 5];
        float[] w6 = rows[f + 6];
        float[] w7 = rows[f + 7];
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = accumulate ? FloatVector.fromArray(S, out, o + 0) : z,
                c01 = accumulate ? FloatVector.fromArray(S, out, o + lanes) : z;
        FloatVector c10 = accumulate ? FloatVector.fromArray(S, out, o + 2 * lanes) : z,
                c11 = accumulate ? FloatVector.fromArray(S, out, o + 3 * lanes) : z;
        FloatVector c20 = accumulate ? FloatVector.fromArray(S, out, o + 4 * lanes) : z,
                c21 = accumulate ? FloatVector.fromArray(S, out, o + 5 * lanes) : z;
        FloatVector c30 = accumulate ? FloatVector.fromArray(S, out, o + 6 * lanes) : z,
                c31 = accumulate ? FloatVector.fromArray(S, out, o + 7 * lanes) : z;
        FloatVector c40 = accumulate ? FloatVector.fromArray(S, out, o + 8 * lanes) : z,
                c41 = accumulate ? FloatVector.fromArray(S, out, o + 9 * lanes) : z;
        FloatVector c50 = accumulate ? FloatVector.fromArray(S, out, o + 10 * lanes) : z,
                c51 = accumulate ? FloatVector.fromArray(S, out, o + 11 * lanes) : z;
        FloatVector c60 = accumulate ? FloatVector.fromArray(S, out, o + 12 * lanes) : z,
                c61 = accumulate ? FloatVector.fromArray(S, out, o + 13 * lanes) : z;
        FloatVector c70 = accumulate ? FloatVector.fromArray(S, out, o + 14 * lanes) : z,
                c71 = accumulate ? FloatVector.fromArray(S, out, o + 15 * lanes) : z;
        for (int k = 0; k < n; k++) {
            int x = xt + k * 2 * lanes;
            int i = from + k;
            FloatVector x0 = FloatVector.fromArray(S, xT, x);
            FloatVector x1 = FloatVector.fromArray(S, xT, x + lanes);
            FloatVector w;
            w = FloatVector.broadcast(S, w0[i]);
            c00 = w.fma(x0, c00);
            c01 = w.fma(x1, c01);
            w = FloatVector.broadcast(S, w1[i]);
            c10 = w.fma(x0, c10);
            c11 = w.fma(x1, c11);
            w = FloatVector.broadcast(S, w2[i]);
            c20 = w.fma(x0, c20);
            c21 = w.fma(x1, c21);
            w = FloatVector.broadcast(S, w3[i]);
            c30 = w.fma(x0, c30);
            c31 = w.fma(x1, c31);
            w = FloatVector.broadcast(S, w4[i]);
            c40 = w.fma(x0, c40);
            c41 = w.fma(x1, c41);
            w = FloatVector.broadcast(S, w5[i]);
            c50 = w.fma(x0, c50);
            c51 = w.fma(x1, c51);
            w = FloatVector.broadcast(S, w6[i]);
            c60 = w.fma(x0, c60);
            c61 = w.fma(x1, c61);
            w = FloatVector.broadcast(S, w7[i]);
            c70 = w.fma(x0, c70);
            c71 = w.fma(x1, c71);
        }
        c00.intoArray(out, o);
        c01.intoArray(out, o + lanes);
        c10.intoArray(out, o + 2 * lanes);
        c11.intoArray(out, o + 3 * lanes);
        c20.intoArray(out, o + 4 * lanes);
        c21.intoArray(out, o + 5 * lanes);
        c30.intoArray(out, o + 6 * lanes);
        c31.intoArray(out, o + 7 * lanes);
        c40.intoArray(out, o + 8 * lanes);
        c41.intoArray(out, o + 9 * lanes);
        c50.intoArray(out, o + 10 * lanes);
        c51.intoArray(out, o + 11 * lanes);
        c60.intoArray(out, o + 12 * lanes);
        c61.intoArray(out, o + 13 * lanes);
        c70.intoArray(out, o + 14 * lanes);
        c71.intoArray(out, o + 15 * lanes);
    }
}
