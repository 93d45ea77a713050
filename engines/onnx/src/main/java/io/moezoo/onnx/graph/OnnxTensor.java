package io.moezoo.onnx.graph;

import io.moezoo.onnx.OnnxGraphException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A constant tensor ({@code TensorProto}): an initializer or a {@code Constant}'s value, with its
 * data little-endian in {@code raw_data}.
 *
 * @param name the value name (may be empty inside an attribute)
 * @param type the element type
 * @param dims the shape; empty for a scalar
 * @param raw the little-endian data, {@code product(dims) × type.bytes()} bytes
 */
public record OnnxTensor(String name, OnnxDataType type, long[] dims, byte[] raw) {

    /**
     * Validates that the data fits the shape.
     *
     * @param name the value name
     * @param type the element type
     * @param dims the shape
     * @param raw the data
     * @throws OnnxGraphException if a field is missing, a dimension is negative or the data size
     *     does not match the shape
     */
    public OnnxTensor {
        if (name == null || type == null || dims == null || raw == null) {
            throw new OnnxGraphException("Tensor needs a name, a type, dims and data");
        }
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new OnnxGraphException(
                        "Tensor '" + name + "' has a negative dimension " + Arrays.toString(dims));
            }
            count = Math.multiplyExact(count, d);
        }
        if (count * type.bytes() != raw.length) {
            throw new OnnxGraphException(
                    "Tensor '"
                            + name
                            + "' of shape "
                            + Arrays.toString(dims)
                            + " and type "
                            + type
                            + " needs "
                            + count * type.bytes()
                            + " bytes, got "
                            + raw.length);
        }
        dims = dims.clone();
    }

    /**
     * Creates a float tensor.
     *
     * @param name the value name
     * @param dims the shape
     * @param values the data, row-major
     * @return the tensor
     */
    public static OnnxTensor floats(String name, long[] dims, float[] values) {
        ByteBuffer buffer = buffer(values.length, 4);
        buffer.asFloatBuffer().put(values);
        return new OnnxTensor(name, OnnxDataType.FLOAT, dims, buffer.array());
    }

    /**
     * Creates an int64 tensor.
     *
     * @param name the value name
     * @param dims the shape
     * @param values the data, row-major
     * @return the tensor
     */
    public static OnnxTensor longs(String name, long[] dims, long... values) {
        ByteBuffer buffer = buffer(values.length, 8);
        buffer.asLongBuffer().put(values);
        return new OnnxTensor(name, OnnxDataType.INT64, dims, buffer.array());
    }

    /**
     * Creates a double scalar.
     *
     * @param name the value name
     * @param value the value
     * @return the scalar tensor
     */
    public static OnnxTensor scalarDouble(String name, double value) {
        ByteBuffer buffer = buffer(1, 8);
        buffer.putDouble(value);
        return new OnnxTensor(name, OnnxDataType.DOUBLE, new long[0], buffer.array());
    }

    /**
     * Creates a 1-D int64 tensor.
     *
     * @param name the value name
     * @param values the data
     * @return the tensor {@code [values.length]}
     */
    public static OnnxTensor vector(String name, long... values) {
        return longs(name, new long[] {values.length}, values);
    }

    /**
     * Creates a float scalar.
     *
     * @param name the value name
     * @param value the value
     * @return the scalar tensor
     */
    public static OnnxTensor scalar(String name, float value) {
        return floats(name, new long[0], new float[] {value});
    }

    private static ByteBuffer buffer(int count, int bytes) {
        return ByteBuffer.allocate(Math.multiplyExact(count, bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns the shape.
     *
     * @return a copy of the dims
     */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    /**
     * Returns a copy under another name.
     *
     * @param newName the name
     * @return the renamed tensor (sharing the data)
     */
    public OnnxTensor withName(String newName) {
        return new OnnxTensor(newName, type, dims, raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxTensor t
                && name.equals(t.name)
                && type == t.type
                && Arrays.equals(dims, t.dims)
                && Arrays.equals(raw, t.raw);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + type.hashCode()) + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "OnnxTensor[" + name + ", " + type + ", " + Arrays.toString(dims) + "]";
    }
}
