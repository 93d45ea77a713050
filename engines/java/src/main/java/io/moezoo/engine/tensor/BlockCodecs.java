package io.moezoo.engine.tensor;

import io.moezoo.formats.Half;

/**
 * Plain-Java codecs of ggml's block formats, computing exactly what {@link
 * io.moezoo.formats.BlockFormat#dequantize} gives: Q8_0 {@code w = q·d}, Q4_0 {@code w = (q − 8)·d}
 * (both products exact in float32: at most 8 bits of q times the 11 of an F16 scale), and a dot
 * product {@code Σ w_i·x_i} accumulated in float32 in element order.
 */
final class BlockCodecs {

    private BlockCodecs() {}

    private static float scale(StoredBytes data, int at) {
        return Half.f16(data.getShort(at));
    }

    /** Q8_0: 34-byte blocks of an F16 scale and 32 int8 values. */
    static final class Q8 implements RowCodec {
        @Override
        public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
            float sum = 0;
            for (int b = 0; b < count / 32; b++) {
                int at = offset + 34 * b;
                float d = scale(data, at);
                int xi = xOffset + 32 * b;
                for (int j = 0; j < 32; j++) {
                    sum += (data.get(at + 2 + j) * d) * x[xi + j];
                }
            }
            return sum;
        }

        @Override
        public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
            for (int b = 0; b < count / 32; b++) {
                int at = offset + 34 * b;
                float d = scale(data, at);
                int o = outOffset + 32 * b;
                for (int j = 0; j < 32; j++) {
                    out[o + j] = data.get(at + 2 + j) * d;
                }
            }
        }
    }

    /**
     * Q4_0: 18-byte blocks of an F16 scale and 16 bytes of nibbles, element j in the low nibble of
     * byte j, element j + 16 in its high nibble.
     */
    static final class Q4 implements RowCodec {
        @Override
        public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
            float sum = 0;
            for (int b = 0; b < count / 32; b++) {
                int at = offset + 18 * b;
                float d = scale(data, at);
                int xi = xOffset + 32 * b;
                for (int j = 0; j < 16; j++) {
                    sum += (((data.get(at + 2 + j) & 0xf) - 8) * d) * x[xi + j];
                }
                for (int j = 0; j < 16; j++) {
                    sum += ((((data.get(at + 2 + j) & 0xff) >>> 4) - 8) * d) * x[xi + 16 + j];
                }
            }
            return sum;
        }

        @Override
        public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
            for (int b = 0; b < count / 32; b++) {
                int at = offset + 18 * b;
                float d = scale(data, at);
                int o = outOffset + 32 * b;
                for (int j = 0; j < 16; j++) {
                    int packed = data.get(at + 2 + j) & 0xff;
                    out[o + j] = ((packed & 0xf) - 8) * d;
                    out[o + 16 + j] = ((packed >>> 4) - 8) * d;
                }
            }
        }
    }
}
