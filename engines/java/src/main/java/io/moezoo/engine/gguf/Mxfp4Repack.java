package io.moezoo.engine.gguf;

import java.nio.ByteBuffer;

/**
 * Repacks one MXFP4 block of a Hugging Face checkpoint ({@code X_blocks}: 16 bytes, element 2k in
 * the low nibble of byte k and 2k + 1 in its high nibble; {@code X_scales}: one E8M0 byte) into
 * ggml's 17-byte {@code block_mxfp4}: the scale byte, then 16 bytes whose low nibble j is element j
 * and whose high nibble is element j + 16. The nibbles and the scale are moved, never requantised,
 * so the 32 values are the same bit for bit.
 */
final class Mxfp4Repack {

    /** Bytes of nibbles per block in either layout. */
    static final int NIBBLE_BYTES = 16;

    /** Bytes of a ggml block: the scale and the nibbles. */
    static final int GGUF_BLOCK_BYTES = 17;

    private Mxfp4Repack() {}

    /**
     * Writes one ggml block at the buffer's position, which advances by 17.
     *
     * @param blocks the Hugging Face nibbles
     * @param at the position of the block's 16 bytes in blocks
     * @param scale the block's E8M0 scale byte
     * @param out receives the 17 bytes
     */
    static void block(ByteBuffer blocks, int at, byte scale, ByteBuffer out) {
        out.put(scale);
        for (int j = 0; j < NIBBLE_BYTES; j++) {
            out.put((byte) (nibble(blocks, at, j) | nibble(blocks, at, j + NIBBLE_BYTES) << 4));
        }
    }

    /** Element k of a Hugging Face block: the low nibble of byte k/2 for even k, else the high. */
    private static int nibble(ByteBuffer blocks, int at, int k) {
        return ((blocks.get(at + k / 2) & 0xff) >>> (4 * (k % 2))) & 0xf;
    }
}
