package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** float32 rows: four independent accumulators of the preferred species hide the FMA latency. */
final class F32Vector implements RowCodec {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public float dot(ByteBuffer data, int offset, float[] x, int xOffset, int count) {
        int lanes = S.length();
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int i = 0;
        for (; i + 4 * lanes <= count; i += 4 * lanes) {
            int b = offset + 4 * i;
            a0 =
                    FloatVector.fromByteBuffer(S, data, b, LE)
                            .fma(FloatVector.fromArray(S, x, xOffset + i), a0);
            a1 =
                    FloatVector.fromByteBuffer(S, data, b + 4 * lanes, LE)
                            .fma(FloatVector.fromArray(S, x, xOffset + i + lanes), a1);
            a2 =
                    FloatVector.fromByteBuffer(S, data, b + 8 * lanes, LE)
                            .fma(FloatVector.fromArray(S, x, xOffset + i + 2 * lanes), a2);
            a3 =
                    FloatVector.fromByteBuffer(S, data, b + 12 * lanes, LE)
                            .fma(FloatVector.fromArray(S, x, xOffset + i + 3 * lanes), a3);
        }
        for (; i + lanes <= count; i += lanes) {
            a0 =
                    FloatVector.fromByteBuffer(S, data, offset + 4 * i, LE)
                            .fma(FloatVector.fromArray(S, x, xOffset + i), a0);
        }
        float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < count; i++) {
            sum += data.getFloat(offset + 4 * i) * x[xOffset + i];
        }
        return sum;
    }

    @Override
    public void decode(ByteBuffer data, int offset, float[] out, int outOffset, int count) {
        int lanes = S.length();
        int i = 0;
        for (; i + lanes <= count; i += lanes) {
            FloatVector.fromByteBuffer(S, data, offset + 4 * i, LE).intoArray(out, outOffset + i);
        }
        for (; i < count; i++) {
            out[outOffset + i] = data.getFloat(offset + 4 * i);
        }
    }
}
