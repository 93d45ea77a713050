package io.moezoo.formats;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A weight {@code X} stored in OCP MXFP4 as two U8 tensors, as gpt-oss checkpoints store their
 * experts: {@code X_blocks [..., G, 16]} (per block of 32 values, 16 bytes of e2m1 nibbles: the low
 * nibble of byte k is value 2k, the high nibble value 2k + 1) and {@code X_scales [..., G]} (one
 * E8M0 byte s per block, the factor 2^(s − 127)). The logical tensor has shape {@code [..., G·32]}
 * and value {@code FP4[n] · 2^(s − 127)}, computed exactly in float32 (s = 255 gives infinities, as
 * the reference's {@code ldexp} does).
 *
 * <pre>
 *   nibble  0    1    2    3    4    5    6    7    8    9    10   11   12   13   14   15
 *   FP4     +0   0.5  1    1.5  2    3    4    6    −0   −0.5 −1   −1.5 −2   −3   −4   −6
 * </pre>
 *
 * @param key the logical tensor key {@code X}
 * @param blocks the {@code X_blocks} entry
 * @param scales the {@code X_scales} entry
 */
public record Mxfp4Tensor(String key, TensorInfo blocks, TensorInfo scales) {

    /** The suffix of the nibble tensor. */
    public static final String BLOCKS_SUFFIX = "_blocks";

    /** The suffix of the scale tensor. */
    public static final String SCALES_SUFFIX = "_scales";

    /** Values per block. */
    public static final int BLOCK = 32;

    /** Bytes of nibbles per block. */
    public static final int BLOCK_BYTES = 16;

    private static final float[] FP4 = {
        0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f
    };

    /**
     * Returns the e2m1 value of a nibble.
     *
     * @param nibble 0 to 15
     * @return the value (8 is −0)
     */
    public static float fp4(int nibble) {
        return FP4[nibble];
    }

    /**
     * Returns the factor of an E8M0 scale byte, 2^(s − 127) (2^−127 for 0, +∞ for 255).
     *
     * @param scale the stored byte
     * @return the factor
     */
    public static float scale(byte scale) {
        return Math.scalb(1.0f, (scale & 0xff) - 127);
    }

    /**
     * Finds the MXFP4 pair of a key and validates it as untrusted input.
     *
     * @param location the checkpoint, for messages
     * @param tensors the stored tensors by key
     * @param key the logical key {@code X}
     * @return the pair, or null when {@code X} is stored itself or no {@code X_blocks} exists
     * @throws MalformedCheckpointException if {@code X_blocks} exists but the pair is not a valid
     *     MXFP4 tensor (scales missing, a dtype other than U8, inconsistent shapes)
     */
    static Mxfp4Tensor find(Path location, Map<String, TensorInfo> tensors, String key)
            throws MalformedCheckpointException {
        if (tensors.containsKey(key)) {
            return null;
        }
        TensorInfo blocks = tensors.get(key + BLOCKS_SUFFIX);
        if (blocks == null) {
            return null;
        }
        String where = location + ": MXFP4 tensor " + StrictJson.name(key) + ": ";
        TensorInfo scales = tensors.get(key + SCALES_SUFFIX);
        if (scales == null) {
            throw new MalformedCheckpointException(
                    where
                            + StrictJson.name(blocks.name())
                            + " has no scales "
                            + StrictJson.name(key + SCALES_SUFFIX));
        }
        for (TensorInfo t : new TensorInfo[] {blocks, scales}) {
            if (t.dtype() != TensorDType.U8) {
                throw new MalformedCheckpointException(
                        where + StrictJson.name(t.name()) + " has dtype " + t.dtype() + ", not U8");
            }
        }
        long[] b = blocks.shape().getShape();
        if (b.length < 2 || b[b.length - 1] != BLOCK_BYTES || b[b.length - 2] <= 0) {
            throw new MalformedCheckpointException(
                    where
                            + StrictJson.name(blocks.name())
                            + " has shape "
                            + blocks.shape()
                            + ", expected [..., blocks > 0, 16]");
        }
        long[] expected = Arrays.copyOf(b, b.length - 1);
        if (!scales.shape().equals(new Shape(expected))) {
            throw new MalformedCheckpointException(
                    where
                            + StrictJson.name(scales.name())
                            + " has shape "
                            + scales.shape()
                            + ", expected "
                            + new Shape(expected)
                            + " (the blocks' shape without its last dimension)");
        }
        try {
            Math.multiplyExact(Math.multiplyExact(blocks.shape().size(), 2L), 4L);
        } catch (ArithmeticException e) {
            throw new MalformedCheckpointException(where + "holds more values than 64 bits count");
        }
        return new Mxfp4Tensor(key, blocks, scales);
    }

    /**
     * Returns the logical shape: the scales' shape with its last dimension times 32.
     *
     * @return {@code [..., G·32]}
     */
    public Shape shape() {
        long[] dims = scales.shape().getShape().clone();
        dims[dims.length - 1] *= BLOCK;
        return new Shape(dims);
    }

    /**
     * Returns the values per row (the last logical dimension).
     *
     * @return G·32
     */
    public long cols() {
        long[] dims = scales.shape().getShape();
        return dims[dims.length - 1] * BLOCK;
    }

    /**
     * Dequantises whole blocks to float32.
     *
     * @param blockBytes the nibbles, from {@code blockOffset}
     * @param blockOffset the byte position of the first block's nibbles
     * @param scaleBytes the scale bytes, from {@code scaleOffset}
     * @param scaleOffset the byte position of the first block's scale
     * @param out receives {@code count} values
     * @param outOffset the first index written
     * @param count the values, a multiple of 32
     */
    public static void dequantize(
            ByteBuffer blockBytes,
            int blockOffset,
            ByteBuffer scaleBytes,
            int scaleOffset,
            float[] out,
            int outOffset,
            int count) {
        for (int g = 0; g < count / BLOCK; g++) {
            float d = scale(scaleBytes.get(scaleOffset + g));
            int at = blockOffset + g * BLOCK_BYTES;
            int o = outOffset + g * BLOCK;
            for (int k = 0; k < BLOCK_BYTES; k++) {
                int packed = blockBytes.get(at + k) & 0xff;
                out[o + 2 * k] = FP4[packed & 0xf] * d;
                out[o + 2 * k + 1] = FP4[packed >>> 4] * d;
            }
        }
    }
}
