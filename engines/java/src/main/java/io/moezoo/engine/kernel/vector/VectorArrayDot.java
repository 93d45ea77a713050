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
}
