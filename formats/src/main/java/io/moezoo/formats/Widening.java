package io.moezoo.formats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes narrow float formats (BF16, F16, FP8 e4m3) to float32 buffers (values by {@link Half}).
 */
final class Widening {

    private Widening() {}

    /**
     * Widens a tensor's bytes to a direct little-endian float32 buffer.
     *
     * @param src the stored bytes
     * @param dtype the stored dtype (BF16, F16 or F8_E4M3)
     * @param elements the number of elements
     * @return float32 data
     */
    static ByteBuffer toFloat32(ByteBuffer src, TensorDType dtype, int elements) {
        ByteBuffer out = ByteBuffer.allocateDirect(elements * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < elements; i++) {
            float v;
            switch (dtype) {
                case BF16:
                    v = Float.intBitsToFloat((in.getShort(2 * i) & 0xFFFF) << 16);
                    break;
                case F16:
                    v = Half.f16(in.getShort(2 * i));
                    break;
                case F8_E4M3:
                    v = Half.e4m3(in.get(i));
                    break;
                default:
                    throw new IllegalArgumentException(dtype + " is not a narrow float type");
            }
            out.putFloat(4 * i, v);
        }
        return out;
    }
}
