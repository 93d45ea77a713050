package io.moezoo.engine.tensor;

import io.moezoo.formats.Mxfp4Tensor;

/**
 * The plain-Java {@link Mxfp4Codec}: decode computes exactly what {@link Mxfp4Tensor#dequantize}
 * gives; the dot product forms each block's {@code Σ FP4[n]·x} in float32 and adds it times the
 * block's factor (a power of two, so only the summation order differs from {@code Σ w·x}).
 */
public final class ScalarMxfp4Codec implements Mxfp4Codec {

    private static final float[] FP4 = Mxfp4Tables.FP4;

    private static final float[] SCALE = Mxfp4Tables.SCALE;

    /** Creates the codec. */
    public ScalarMxfp4Codec() {}

    @Override
    public float dot(
            StoredBytes blocks,
            int offset,
            StoredBytes scales,
            int scaleOffset,
            float[] x,
            int xOffset,
            int count) {
        float sum = 0;
        for (int g = 0; g < count / 32; g++) {
            int at = offset + 16 * g;
            int xi = xOffset + 32 * g;
            float block = 0;
            for (int k = 0; k < 16; k++) {
                int packed = blocks.get(at + k) & 0xff;
                block += FP4[packed & 0xf] * x[xi + 2 * k];
                block += FP4[packed >>> 4] * x[xi + 2 * k + 1];
            }
            sum += SCALE[scales.get(scaleOffset + g) & 0xff] * block;
        }
        return sum;
    }

    @Override
    public void decode(
            StoredBytes blocks,
            int offset,
            StoredBytes scales,
            int scaleOffset,
            float[] out,
            int outOffset,
            int count) {
        for (int g = 0; g < count / 32; g++) {
            float d = SCALE[scales.get(scaleOffset + g) & 0xff];
            int at = offset + 16 * g;
            int o = outOffset + 32 * g;
            for (int k = 0; k < 16; k++) {
                int packed = blocks.get(at + k) & 0xff;
                out[o + 2 * k] = FP4[packed & 0xf] * d;
                out[o + 2 * k + 1] = FP4[packed >>> 4] * d;
            }
        }
    }
}
