package io.moezoo.engine.tensor;

import io.moezoo.formats.Mxfp4Tensor;

/**
 * The plain-Java {@link RowCodec} of {@link WeightFormat#MXFP4_GGUF}, ggml's {@code block_mxfp4} as
 * GGUF files store it: per 32 values one E8M0 scale byte s, then 16 bytes whose low nibble j is
 * element j and whose high nibble is element j + 16 (ggml's Q4_0 order, not the even/odd order of
 * the Hugging Face {@code _blocks} that {@link ScalarMxfp4Codec} reads). Value {@code FP4[n] · 2^(s
 * − 127)}, exact in float32, as {@link Mxfp4Tensor} defines it; the dot product forms each block's
 * {@code Σ FP4[n]·x} in float32 and adds it times the block's factor (a power of two), as {@link
 * ScalarMxfp4Codec} does.
 */
public final class GgufMxfp4Codec implements RowCodec {

    /** Bytes per block of 32 values. */
    public static final int BLOCK_BYTES = 17;

    private static final float[] FP4 = Mxfp4Tables.FP4;

    private static final float[] SCALE = Mxfp4Tables.SCALE;

    /** Creates the codec. */
    public GgufMxfp4Codec() {}

    @Override
    public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
        float sum = 0;
        for (int g = 0; g < count / 32; g++) {
            int at = offset + BLOCK_BYTES * g;
            int xi = xOffset + 32 * g;
            float block = 0;
            for (int j = 0; j < 16; j++) {
                block += FP4[data.get(at + 1 + j) & 0xf] * x[xi + j];
            }
            for (int j = 0; j < 16; j++) {
                block += FP4[(data.get(at + 1 + j) & 0xff) >>> 4] * x[xi + 16 + j];
            }
            sum += SCALE[data.get(at) & 0xff] * block;
        }
        return sum;
    }

    @Override
    public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
        for (int g = 0; g < count / 32; g++) {
            int at = offset + BLOCK_BYTES * g;
            float d = SCALE[data.get(at) & 0xff];
            int o = outOffset + 32 * g;
            for (int j = 0; j < 16; j++) {
                int packed = data.get(at + 1 + j) & 0xff;
                out[o + j] = FP4[packed & 0xf] * d;
                out[o + 16 + j] = FP4[packed >>> 4] * d;
            }
        }
    }
}
