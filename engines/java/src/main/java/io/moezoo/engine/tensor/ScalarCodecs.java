package io.moezoo.engine.tensor;

import io.moezoo.formats.Half;
import java.util.EnumMap;
import java.util.Map;

/**
 * Plain-Java {@link RowCodec}s for every element format: the reference the vector codecs are tested
 * against, and the kernels of a JVM without the Vector API module.
 */
public final class ScalarCodecs {

    private ScalarCodecs() {}

    /**
     * Returns the scalar codecs by format.
     *
     * @return a new map
     */
    public static Map<WeightFormat, RowCodec> all() {
        Map<WeightFormat, RowCodec> codecs = new EnumMap<>(WeightFormat.class);
        codecs.put(WeightFormat.F32, new F32());
        codecs.put(WeightFormat.F16, new F16());
        codecs.put(WeightFormat.BF16, new Bf16());
        codecs.put(WeightFormat.F8_E4M3, new E4m3());
        codecs.put(WeightFormat.Q8_0, new BlockCodecs.Q8());
        codecs.put(WeightFormat.Q4_0, new BlockCodecs.Q4());
        codecs.put(WeightFormat.MXFP4_GGUF, new GgufMxfp4Codec());
        return codecs;
    }

    /** float32. */
    static final class F32 implements RowCodec {
        @Override
        public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
            float sum = 0;
            for (int i = 0; i < count; i++) {
                sum += data.getFloat(offset + 4 * i) * x[xOffset + i];
            }
            return sum;
        }

        @Override
        public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
            for (int i = 0; i < count; i++) {
                out[outOffset + i] = data.getFloat(offset + 4 * i);
            }
        }
    }

    /** IEEE half. */
    static final class F16 implements RowCodec {
        @Override
        public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
            float sum = 0;
            for (int i = 0; i < count; i++) {
                sum += Half.f16(data.getShort(offset + 2 * i)) * x[xOffset + i];
            }
            return sum;
        }

        @Override
        public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
            for (int i = 0; i < count; i++) {
                out[outOffset + i] = Half.f16(data.getShort(offset + 2 * i));
            }
        }
    }

    /** bfloat16. */
    static final class Bf16 implements RowCodec {
        @Override
        public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
            float sum = 0;
            for (int i = 0; i < count; i++) {
                sum += Half.bf16(data.getShort(offset + 2 * i)) * x[xOffset + i];
            }
            return sum;
        }

        @Override
        public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
            for (int i = 0; i < count; i++) {
                out[outOffset + i] = Half.bf16(data.getShort(offset + 2 * i));
            }
        }
    }

    /** FP8 e4m3fn, unscaled (the matrix applies the block scales). */
    static final class E4m3 implements RowCodec {
        @Override
        public float dot(StoredBytes data, int offset, float[] x, int xOffset, int count) {
            float sum = 0;
            for (int i = 0; i < count; i++) {
                sum += Half.e4m3(data.get(offset + i)) * x[xOffset + i];
            }
            return sum;
        }

        @Override
        public void decode(StoredBytes data, int offset, float[] out, int outOffset, int count) {
            for (int i = 0; i < count; i++) {
                out[outOffset + i] = Half.e4m3(data.get(offset + i));
            }
        }
    }
}
