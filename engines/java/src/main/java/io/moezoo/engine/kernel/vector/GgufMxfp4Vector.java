package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.StoredBytes;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml MXFP4 rows as GGUF stores them (17-byte blocks: the E8M0 scale byte s, then 16 bytes whose
 * low nibbles are elements 0..15 and high nibbles elements 16..31): the packed bytes are loaded as
 * a quarter-width byte species and split into nibbles as {@link Q4Vector} splits them, and each
 * nibble becomes twice its e2m1 value with {@link Mxfp4Vector}'s table. A block's {@code Σ 2·FP4·x}
 * is formed in lanes and scaled by half the block's factor 2^(s − 127), so the dot is {@code Σ
 * (FP4·2^(s−127))·x} up to rounding order. Decode gives {@code FP4[n]·2^(s−127)} exactly, −0 as +0
 * (as {@link Mxfp4Vector}). Needs a float species of 8 or 16 lanes.
 */
final class GgufMxfp4Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final int L = F.length();
    private static final int CHUNKS = 16 / L;
    private static final VectorLoads LOADS = VectorLoads.INSTANCE;

    @Override
    public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
        FloatVector a = FloatVector.zero(F);
        for (int g = 0; g < count / 32; g++) {
            int at = offset + 17 * g;
            int xi = xOffset + 32 * g;
            FloatVector t = FloatVector.zero(F);
            for (int c = 0; c < CHUNKS; c++) {
                ByteVector packed = LOADS.bytes(B, data, at + 1 + c * L);
                t =
                        Mxfp4Vector.twice(packed.and((byte) 0x0f))
                                .fma(FloatVector.fromArray(F, x, xi + c * L), t);
                t =
                        Mxfp4Vector.twice(packed.lanewise(VectorOperators.LSHR, 4))
                                .fma(FloatVector.fromArray(F, x, xi + 16 + c * L), t);
            }
            a = t.fma(FloatVector.broadcast(F, Mxfp4Vector.HALF_SCALE[data.get(at) & 0xff]), a);
        }
        return a.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
        for (int g = 0; g < count / 32; g++) {
            int at = offset + 17 * g;
            FloatVector d = FloatVector.broadcast(F, Mxfp4Vector.HALF_SCALE[data.get(at) & 0xff]);
            int o = outOffset + 32 * g;
            for (int c = 0; c < CHUNKS; c++) {
                ByteVector packed = LOADS.bytes(B, data, at + 1 + c * L);
                Mxfp4Vector.twice(packed.and((byte) 0x0f)).mul(d).intoArray(out, o + c * L);
                Mxfp4Vector.twice(packed.lanewise(VectorOperators.LSHR, 4))
                        .mul(d)
                        .intoArray(out, o + 16 + c * L);
            }
        }
    }
}
