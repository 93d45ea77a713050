package io.moezoo.engine.gguf;

import io.moezoo.engine.tensor.GgufMxfp4Codec;
import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.formats.BlockFormat;
import io.moezoo.formats.Half;
import java.nio.ByteBuffer;

/**
 * Encodes float32 rows into a GGUF tensor type and decodes them back, as llama.cpp does: F16 and
 * BF16 round to nearest even (BF16 keeps NaNs quiet), Q8_0 and Q4_0 use {@link BlockFormat}'s
 * reference quantisers. MXFP4 is decoded only ({@link GgufMxfp4Codec}): it is written by repacking
 * MXFP4 blocks ({@link Mxfp4Repack}), never by quantising floats.
 */
public final class GgufCodec {

    private GgufCodec() {}

    /**
     * Rounds a float32 to bfloat16 (nearest even; NaN stays NaN).
     *
     * @param value the value
     * @return the 16 bits
     */
    public static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /**
     * Encodes {@code count} values (a whole number of blocks) at the buffer's position, which
     * advances.
     *
     * @param x the values
     * @param from the first value
     * @param count how many
     * @param type the type
     * @param out a little-endian buffer with room for them
     * @throws IllegalArgumentException for MXFP4, which is not encoded from floats
     */
    public static void encode(float[] x, int from, int count, GgufType type, ByteBuffer out) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out.putFloat(x[from + i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(Half.toF16(x[from + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(toBf16(x[from + i]));
                }
            }
            case Q8_0, Q4_0 -> {
                BlockFormat f = type == GgufType.Q8_0 ? BlockFormat.Q8_0 : BlockFormat.Q4_0;
                f.quantize(x, from, count, out, out.position());
                out.position(out.position() + (int) f.rowBytes(count));
            }
            case MXFP4 ->
                    throw new IllegalArgumentException(
                            "MXFP4 tensors are repacked from MXFP4 blocks, not encoded from floats");
        }
    }

    /**
     * Decodes {@code count} values (a whole number of blocks) from an absolute byte offset.
     *
     * @param in the little-endian bytes
     * @param offset the byte offset of the first value or block
     * @param type the type
     * @param out receives the values
     * @param outOffset the first index written
     * @param count how many
     */
    public static void decode(
            ByteBuffer in, int offset, GgufType type, float[] out, int outOffset, int count) {
        switch (type) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = in.getFloat(offset + 4 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = Half.f16(in.getShort(offset + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[outOffset + i] = Half.bf16(in.getShort(offset + 2 * i));
                }
            }
            case Q8_0 -> BlockFormat.Q8_0.dequantize(in, offset, out, outOffset, count);
            case Q4_0 -> BlockFormat.Q4_0.dequantize(in, offset, out, outOffset, count);
            case MXFP4 ->
                    new GgufMxfp4Codec().decode(StoredBytes.of(in), offset, out, outOffset, count);
        }
    }
}
