package io.moezoo.formats;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;

/**
 * A validated safetensors header entry.
 *
 * <p>A block-quantised tensor ({@link #format()} not null) is stored as {@link TensorDType#U8}
 * bytes whose last dimension is the byte count of a row; {@link #logicalShape()} gives the shape of
 * the values it holds.
 *
 * @param file the file holding the tensor
 * @param name the tensor key
 * @param dtype the stored dtype
 * @param shape the stored shape
 * @param begin the absolute byte offset of the data in the file
 * @param length the data length in bytes
 * @param format the block format of a quantised tensor, or null for a plain dtype
 */
public record TensorInfo(
        Path file,
        String name,
        TensorDType dtype,
        Shape shape,
        long begin,
        long length,
        BlockFormat format) {

    /**
     * Creates the entry of a tensor stored in a plain dtype.
     *
     * @param file the file holding the tensor
     * @param name the tensor key
     * @param dtype the stored dtype
     * @param shape the shape
     * @param begin the absolute byte offset of the data in the file
     * @param length the data length in bytes
     */
    public TensorInfo(
            Path file, String name, TensorDType dtype, Shape shape, long begin, long length) {
        this(file, name, dtype, shape, begin, length, null);
    }

    /**
     * Returns the shape of the values: the stored shape, except that a block-quantised tensor's
     * last dimension counts values, not bytes.
     *
     * @return the logical shape
     */
    public Shape logicalShape() {
        if (format == null) {
            return shape;
        }
        long[] dims = shape.getShape().clone();
        int last = dims.length - 1;
        dims[last] = dims[last] / format.blockBytes() * format.blockSize();
        return new Shape(dims);
    }
}
