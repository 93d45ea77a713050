package io.moezoo.engine.gguf;

import io.moezoo.engine.tensor.WeightFormat;

/**
 * The ggml tensor types this package reads and writes, with their ggml ids, block sizes and the
 * {@code general.file_type} (llama_ftype) of a file mostly in that type. All but {@link #MXFP4} are
 * export types ({@link #parse}); MXFP4 tensors are only written by repacking MXFP4 weights.
 */
public enum GgufType {
    /** float32. */
    F32(0, 1, 4, 0, WeightFormat.F32),
    /** IEEE half. */
    F16(1, 1, 2, 1, WeightFormat.F16),
    /** bfloat16. */
    BF16(30, 1, 2, 32, WeightFormat.BF16),
    /** ggml Q8_0: f16 scale and 32 int8 per block. */
    Q8_0(8, 32, 34, 7, WeightFormat.Q8_0),
    /** ggml Q4_0: f16 scale and 32 nibbles per block. */
    Q4_0(2, 32, 18, 2, WeightFormat.Q4_0),
    /**
     * ggml MXFP4: an E8M0 scale byte and 32 e2m1 nibbles per block (gpt-oss experts, repacked from
     * the checkpoint's MXFP4 blocks; never an export {@code --type}). File type MOSTLY_MXFP4_MOE.
     */
    MXFP4(39, 32, 17, 38, WeightFormat.MXFP4_GGUF);

    /** Names of the other ggml type ids, for messages (index = id). */
    private static final String[] GGML_NAMES = {
        "F32",
        "F16",
        "Q4_0",
        "Q4_1",
        "Q4_2 (removed)",
        "Q4_3 (removed)",
        "Q5_0",
        "Q5_1",
        "Q8_0",
        "Q8_1",
        "Q2_K",
        "Q3_K",
        "Q4_K",
        "Q5_K",
        "Q6_K",
        "Q8_K",
        "IQ2_XXS",
        "IQ2_XS",
        "IQ3_XXS",
        "IQ1_S",
        "IQ4_NL",
        "IQ3_S",
        "IQ2_S",
        "IQ4_XS",
        "I8",
        "I16",
        "I32",
        "I64",
        "F64",
        "IQ1_M",
        "BF16",
        "Q4_0_4_4 (removed)",
        "Q4_0_4_8 (removed)",
        "Q4_0_8_8 (removed)",
        "TQ1_0",
        "TQ2_0",
        "IQ4_NL_4_4 (removed)",
        "IQ4_NL_4_8 (removed)",
        "IQ4_NL_8_8 (removed)",
        "MXFP4"
    };

    private final int id;
    private final int blockSize;
    private final int blockBytes;
    private final int fileType;
    private final WeightFormat format;

    GgufType(int id, int blockSize, int blockBytes, int fileType, WeightFormat format) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
        this.fileType = fileType;
        this.format = format;
    }

    /**
     * Returns the ggml type id.
     *
     * @return the id
     */
    public int id() {
        return id;
    }

    /**
     * Returns the elements per block.
     *
     * @return 1 or 32
     */
    public int blockSize() {
        return blockSize;
    }

    /**
     * Returns the bytes per block.
     *
     * @return the block's bytes
     */
    public int blockBytes() {
        return blockBytes;
    }

    /**
     * Returns llama.cpp's {@code general.file_type} for a file mostly of this type.
     *
     * @return the llama_ftype
     */
    public int fileType() {
        return fileType;
    }

    /**
     * Returns the engine's format of the same bytes.
     *
     * @return the weight format
     */
    public WeightFormat format() {
        return format;
    }

    /**
     * Returns the bytes of {@code elements} values, or -1 if that is not a whole number of blocks
     * or overflows.
     *
     * @param elements values along ne[0] times the other dims
     * @return the bytes, or -1
     */
    public long bytes(long elements) {
        if (elements < 0 || elements % blockSize != 0) {
            return -1;
        }
        long blocks = elements / blockSize;
        if (blocks > Long.MAX_VALUE / blockBytes) {
            return -1;
        }
        return blocks * blockBytes;
    }

    /**
     * Returns the type of a ggml id.
     *
     * @param id the id
     * @return the type, or null if this package does not support it
     */
    public static GgufType of(long id) {
        for (GgufType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }

    /**
     * Returns ggml's name of an id, supported or not.
     *
     * @param id the id
     * @return the name, or "unknown"
     */
    public static String ggmlName(long id) {
        return id >= 0 && id < GGML_NAMES.length ? GGML_NAMES[(int) id] : "unknown";
    }

    /**
     * Whether floats can be encoded to this type: every type but {@link #MXFP4}.
     *
     * @return true for the export types
     */
    public boolean encodable() {
        return this != MXFP4;
    }

    /**
     * Parses an export type name ({@code f32}, {@code q8_0}, case-insensitive).
     *
     * @param name the name
     * @return the type
     * @throws IllegalArgumentException if the name is not one of the export types
     */
    public static GgufType parse(String name) {
        for (GgufType t : values()) {
            if (t.encodable() && t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        if (MXFP4.name().equalsIgnoreCase(name)) {
            throw new IllegalArgumentException(
                    "mxfp4 is not an export type: gpt-oss MXFP4 experts are repacked as MXFP4"
                            + " whatever the type; expected f32, f16, bf16, q8_0 or q4_0");
        }
        throw new IllegalArgumentException(
                "unknown GGUF type '" + name + "'; expected f32, f16, bf16, q8_0 or q4_0");
    }
}
