package io.moezoo.zoo.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes narrow float formats (BF16, F16, FP8 e4m3) to float32. */
final class Widening {

    private static final float[] E4M3 = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            int sign = (b >> 7) & 1;
            int exponent = (b >> 3) & 0xF;
            int mantissa = b & 0x7;
            float value;
            if (exponent == 0xF && mantissa == 0x7) {
                value = Float.NaN; // e4m3fn has no infinities; S.1111.111 is NaN
            } else if (exponent == 0) {
                value = (float) (mantissa / 8.0 * Math.pow(2, -6));
            } else {
                value = (float) ((1 + mantissa / 8.0) * Math.pow(2, exponent - 7));
            }
            E4M3[b] = sign == 1 ? -value : value;
        }
    }

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
                    v = halfToFloat(in.getShort(2 * i));
                    break;
                case F8_E4M3:
                    v = E4M3[in.get(i) & 0xFF];
                    break;
                default:
                    throw new IllegalArgumentException(dtype + " is not a narrow float type");
            }
            out.putFloat(4 * i, v);
        }
        return out;
    }

    /**
     * Decodes one IEEE 754 half-precision value.
     *
     * @param bits the 16 bits
     * @return the value
     */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            float value = (float) (mantissa * Math.pow(2, -24));
            return sign == 0 ? value : -value;
        }
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /**
     * Encodes a float as IEEE half precision, rounding to nearest even (overflow to infinity).
     *
     * @param value the value
     * @return the 16 bits
     */
    static short floatToHalf(float value) {
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mantissa = bits & 0x7FFFFF;
        if (((bits >>> 23) & 0xFF) == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        if (exponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (exponent <= 0) {
            if (exponent < -10) {
                return (short) sign;
            }
            mantissa |= 0x800000;
            int shift = 14 - exponent;
            int half = mantissa >> shift;
            int rest = mantissa & ((1 << shift) - 1);
            int midpoint = 1 << (shift - 1);
            if (rest > midpoint || (rest == midpoint && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (exponent << 10) | (mantissa >> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /**
     * Decodes one FP8 e4m3fn value.
     *
     * @param bits the byte
     * @return the value
     */
    static float e4m3ToFloat(byte bits) {
        return E4M3[bits & 0xFF];
    }
}
