package io.moezoo.engine.tensor;

import io.moezoo.formats.Mxfp4Tensor;

/**
 * The lookup tables the plain-Java MXFP4 codecs share: the 16 FP4 (E2M1) values of a nibble and the
 * 256 powers of two of an E8M0 scale byte, both as {@link Mxfp4Tensor} defines them.
 */
final class Mxfp4Tables {

    /** {@code FP4[n]}: the value of nibble n. */
    static final float[] FP4 = new float[16];

    /** {@code SCALE[s]}: 2^(s − 127) for scale byte s. */
    static final float[] SCALE = new float[256];

    static {
        for (int n = 0; n < 16; n++) {
            FP4[n] = Mxfp4Tensor.fp4(n);
        }
        for (int s = 0; s < 256; s++) {
            SCALE[s] = Mxfp4Tensor.scale((byte) s);
        }
    }

    private Mxfp4Tables() {}
}
