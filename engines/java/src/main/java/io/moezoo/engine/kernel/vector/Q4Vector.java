package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.zoo.checkpoint.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * ggml Q4_0 rows (18-byte blocks: F16 scale d, 16 bytes whose low nibbles are elements 0..15 and
 * high nibbles elements 16..31): the packed bytes are loaded as a quarter-width byte species, split
 * into nibbles minus 8 in byte lanes, widened to float32 ({@code B2F}) and scaled by d (exact),
 * then multiplied into two accumulators. Needs a float species of 8 or 16 lanes (256 or 512 bits).
 */
final class Q4Vector implements RowCodec {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final int L = F.length();
    private static final int CHUNKS = 16 / L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static FloatVector widen(ByteVector nibbles, FloatVector d) {
        return ((FloatVector) nibbles.sub((byte) 8).convertShape(VectorOperators.B2F, F, 0)).mul(d);
    }

    @Override
    public float dot(ByteBuffer data, int offset, float[] x, int xOffset, int count) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        for (int b = 0; b < count / 32; b++) {
            int at = offset + 18 * b;
            FloatVector d = FloatVector.broadcast(F, Half.f16(data.getShort(at)));
            int x0 = xOffset + 32 * b;
            for (int c = 0; c < CHUNKS; c++) {
                ByteVector packed = ByteVector.fromByteBuffer(B, data, at + 2 + c * L, LE);
                ByteVector low = packed.and((byte) 0x0f);
                ByteVector high = packed.lanewise(VectorOperators.LSHR, 4);
                a0 = widen(low, d).fma(FloatVector.fromArray(F, x, x0 + c * L), a0);
                a1 = widen(high, d).fma(FloatVector.fromArray(F, x, x0 + 16 + c * L), a1);
            }
        }
        return a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void decode(ByteBuffer data, int offset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / 32; b++) {
            int at = offset + 18 * b;
            FloatVector d = FloatVector.broadcast(F, Half.f16(data.getShort(at)));
            int o = outOffset + 32 * b;
            for (int c = 0; c < CHUNKS; c++) {
                ByteVector packed = ByteVector.fromByteBuffer(B, data, at + 2 + c * L, LE);
                widen(packed.and((byte) 0x0f), d).intoArray(out, o + c * L);
                widen(packed.lanewise(VectorOperators.LSHR, 4), d).intoArray(out, o + 16 + c * L);
            }
        }
    }
}
