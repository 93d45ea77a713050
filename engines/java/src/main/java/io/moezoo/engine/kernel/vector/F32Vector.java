package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.StoredBytes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** float32 rows: four independent accumulators of the preferred species hide the FMA latency. */
final class F32Vector implements RowCodec {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorLoads LOADS = VectorLoads.INSTANCE;

    @Override
    public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
        int lanes = S.length();
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int i = 0;
        for (; i + 4 * lanes <= count; i += 4 * lanes) {
            int b = offset + 4 * i;
            a0 = LOADS.floats(S, data, b).fma(FloatVector.fromArray(S, x, xOffset + i), a0);
            a1 =
                    LOADS.floats(S, data, b + 4 * lanes)
                            .fma(FloatVector.fromArray(S, x, xOffset + i + lanes), a1);
            a2 =
                    LOADS.floats(S, data, b + 8 * lanes)
                            .fma(FloatVector.fromArray(S, x, xOffset + i + 2 * lanes), a2);
            a3 =
                    LOADS.floats(S, data, b + 12 * lanes)
                            .fma(FloatVector.fromArray(S, x, xOffset + i + 3 * lanes), a3);
        }
        for (; i + lanes <= count; i += lanes) {
            a0 =
                    LOADS.floats(S, data, offset + 4 * i)
                            .fma(FloatVector.fromArray(S, x, xOffset + i), a0);
        }
        float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            sum += data.getFloat(offset + 4 * i) * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
        int lanes = S.length();
        int i = 0;
        for (; i + lanes <= count; i += lanes) {
            LOADS.floats(S, data, offset + 4 * i).intoArray(out, outOffset + i);
        }
        for (; i < count; i++) {
            out[outOffset + i] = data.getFloat(offset + 4 * i);
        }
    }
}
