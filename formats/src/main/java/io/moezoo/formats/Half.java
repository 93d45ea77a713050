package io.moezoo.formats;

/** Scalar conversions of 16- and 8-bit floats to float32, exact (every value is representable). */
public final class Half {

    private static final float[] E4M3 = new float[256];

    static {
        for (int b = 0; b < 256; b++) {
            E4M3[b] = e4m3Exact(b);
        }
    }

    private Half() {}

    /**
     * Widens a bfloat16.
     *
     * @param bits the 16 bits
     * @return the float32 value
     */
    public static float bf16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /**
     * Widens an IEEE half (normal, subnormal, infinite and NaN values).
     *
     * @param bits the 16 bits
     * @return the float32 value
     */
    public static float f16(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Subnormal (or zero): mantissa · 2^-24, exact in float32.
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * Narrows a float32 to the nearest IEEE half (round to nearest even), as numpy and ggml do.
     *
     * @param value the value
     * @return the 16 bits
     */
    public static short toF16(float value) {
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
     * Widens an FP8 e4m3fn byte (no infinities; 0x7f and 0xff are NaN).
     *
     * @param bits the byte
     * @return the float32 value
     */
    public static float e4m3(byte bits) {
        return E4M3[bits & 0xff];
    }

    private static float e4m3Exact(int b) {
        int sign = b & 0x80;
        int exponent = (b >>> 3) & 0xf;
        int mantissa = b & 0x7;
        float value;
        if (exponent == 0xf && mantissa == 0x7) {
            value = Float.NaN;
        } else if (exponent == 0) {
            value = mantissa * 0x1p-9f;
        } else {
            value = (1 + mantissa / 8f) * (float) Math.pow(2, exponent - 7);
        }
        return sign == 0 ? value : -value;
    }
}
