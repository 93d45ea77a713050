package io.moezoo.onnx.graph;

/** The ONNX tensor element types the exporter writes ({@code TensorProto.DataType}). */
public enum OnnxDataType {
    /** 32-bit float. */
    FLOAT(1, 4),
    /** 32-bit signed integer. */
    INT32(6, 4),
    /** 64-bit signed integer. */
    INT64(7, 8),
    /** Boolean, one byte per element. */
    BOOL(9, 1),
    /** IEEE half precision. */
    FLOAT16(10, 2),
    /** 64-bit float. */
    DOUBLE(11, 8);

    private final int code;
    private final int bytes;

    OnnxDataType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /**
     * Returns the {@code TensorProto.DataType} number.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * Returns the bytes per element in {@code raw_data}.
     *
     * @return the element size
     */
    public int bytes() {
        return bytes;
    }
}
