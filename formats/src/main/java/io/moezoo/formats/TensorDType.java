package io.moezoo.formats;

import ai.djl.ndarray.types.DataType;

/** The safetensors dtypes MoE Zoo reads, with their size and the DJL type they load as. */
public enum TensorDType {
    /** 64-bit float. */
    F64(8, DataType.FLOAT64),
    /** 32-bit float. */
    F32(4, DataType.FLOAT32),
    /** IEEE half precision, widened to float32. */
    F16(2, DataType.FLOAT32),
    /** bfloat16, widened to float32 (DJL's PyTorch engine aborts on BF16 arrays). */
    BF16(2, DataType.FLOAT32),
    /** FP8 e4m3 (finite-only "fn" variant), widened to float32 and block-dequantised. */
    F8_E4M3(1, DataType.FLOAT32),
    /** 64-bit signed integer. */
    I64(8, DataType.INT64),
    /** 32-bit signed integer. */
    I32(4, DataType.INT32),
    /** 8-bit signed integer. */
    I8(1, DataType.INT8),
    /** 8-bit unsigned integer. */
    U8(1, DataType.UINT8),
    /** Boolean, one byte. */
    BOOL(1, DataType.BOOLEAN);

    private final int bytes;
    private final DataType loadedAs;

    TensorDType(int bytes, DataType loadedAs) {
        this.bytes = bytes;
        this.loadedAs = loadedAs;
    }

    /**
     * Returns the bytes per element in the file.
     *
     * @return the element size
     */
    public int bytes() {
        return bytes;
    }

    /**
     * Returns whether this is a floating-point type (loaded as float32 or float64).
     *
     * @return true for F64, F32, F16, BF16 and F8_E4M3
     */
    public boolean isFloat() {
        return loadedAs == DataType.FLOAT32 || loadedAs == DataType.FLOAT64;
    }

    /**
     * Returns the DJL type the tensor is loaded as.
     *
     * @return the loaded type
     */
    public DataType loadedAs() {
        return loadedAs;
    }

    /**
     * Parses a header dtype name.
     *
     * @param name the name in the header
     * @return the dtype, or null if unknown
     */
    public static TensorDType parse(String name) {
        for (TensorDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
