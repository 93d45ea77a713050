package io.moezoo.engine.tensor;

/**
 * How the elements of a weight matrix are stored. Block formats group {@link #blockSize()}
 * consecutive elements of a row into {@link #blockBytes()} bytes; a row's length must be a multiple
 * of the block size.
 *
 * <pre>
 *   F32      4 bytes per element, IEEE single
 *   F16      2 bytes, IEEE half
 *   BF16     2 bytes, the high half of a float32
 *   F8_E4M3  1 byte, e4m3 "fn" (finite only), times a float32 scale per block of rows x columns
 *   Q8_0     34 bytes per 32: F16 scale d, 32 int8 q;          x = d·q
 *   Q4_0     18 bytes per 32: F16 scale d, 16 bytes of nibbles; x = d·(q - 8), element j in the
 *            low nibble of byte j, element j + 16 in its high nibble (ggml's layout)
 *   MXFP4    16 bytes per 32 of e2m1 nibbles (element 2k in the low nibble of byte k, 2k + 1 in
 *            its high nibble), plus one E8M0 scale byte s per 32 kept apart (gpt-oss's
 *            X_blocks + X_scales); x = FP4[nibble]·2^(s − 127). {@link #blockBytes()} counts the
 *            nibbles only: 17 bytes per 32 values in all
 *   MXFP4_GGUF  17 bytes per 32 (ggml's block_mxfp4, GGUF type 39): the E8M0 scale byte s, then
 *            16 bytes of e2m1 nibbles in ggml's order (element j in the low nibble of byte j,
 *            element j + 16 in its high nibble, as Q4_0); x = FP4[nibble]·2^(s − 127)
 * </pre>
 */
public enum WeightFormat {
    /** float32. */
    F32(1, 4),
    /** IEEE half precision. */
    F16(1, 2),
    /** bfloat16. */
    BF16(1, 2),
    /** FP8 e4m3 with block scales (DeepSeek-V3 style). */
    F8_E4M3(1, 1),
    /** ggml Q8_0. */
    Q8_0(32, 34),
    /** ggml Q4_0. */
    Q4_0(32, 18),
    /** OCP MXFP4 with separately stored E8M0 scales (gpt-oss). */
    MXFP4(32, 16),
    /** OCP MXFP4 in ggml's 17-byte blocks (scale first, Q4_0's nibble order): GGUF files. */
    MXFP4_GGUF(32, 17);

    private final int blockSize;
    private final int blockBytes;

    WeightFormat(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /**
     * Returns the elements per block (1 for element formats).
     *
     * @return the block size
     */
    public int blockSize() {
        return blockSize;
    }

    /**
     * Returns the bytes per block.
     *
     * @return the block bytes
     */
    public int blockBytes() {
        return blockBytes;
    }

    /**
     * Returns the bytes one row of {@code cols} elements takes.
     *
     * @param cols the row length, a multiple of {@link #blockSize()}
     * @return the row's bytes
     * @throws IllegalArgumentException if cols is not a positive multiple of the block size
     */
    public long rowBytes(long cols) {
        if (cols <= 0 || cols % blockSize != 0) {
            throw new IllegalArgumentException(
                    this
                            + " rows hold a positive multiple of "
                            + blockSize
                            + " values, not "
                            + cols);
        }
        return cols / blockSize * blockBytes;
    }

    /**
     * Whether this is a block-quantised format (Q8_0, Q4_0, MXFP4, MXFP4_GGUF).
     *
     * @return true for block formats
     */
    public boolean isBlockQuantized() {
        return blockSize > 1;
    }
}
