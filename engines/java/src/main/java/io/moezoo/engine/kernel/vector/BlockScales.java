package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.formats.Half;

/** The F16 scale of a block, with a branch-light path for the usual normal values. */
final class BlockScales {

    private BlockScales() {}

    /**
     * Reads the little-endian F16 at a byte position as float32, exactly as {@link Half#f16}.
     *
     * @param data the buffer (little-endian)
     * @param at the byte position
     * @return the value
     */
    static float f16(StoredBytes data, int at) {
        int h = data.getShort(at) & 0xffff;
        int exponent = h & 0x7c00;
        if (exponent != 0 && exponent != 0x7c00) {
            return Float.intBitsToFloat(
                    ((h & 0x8000) << 16) | (((h & 0x7fff) + (112 << 10)) << 13));
        }
        return Half.f16((short) h);
    }
}
