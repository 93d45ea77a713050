package io.moezoo.engine.gguf;

import java.util.Arrays;

/**
 * A validated tensor entry of a GGUF file.
 *
 * @param name the tensor name
 * @param type its ggml type
 * @param ne the dimensions in ggml order (ne[0] is the contiguous one), never empty
 * @param offset the byte offset relative to the data section
 * @param position the absolute byte position of the data in the file
 * @param bytes the data length
 */
public record GgufTensorInfo(
        String name, GgufType type, long[] ne, long offset, long position, long bytes) {

    /**
     * Copies the dimensions.
     *
     * @param name the tensor name
     * @param type its ggml type
     * @param ne the dimensions in ggml order
     * @param offset the offset in the data section
     * @param position the absolute position
     * @param bytes the length
     */
    public GgufTensorInfo {
        ne = ne.clone();
    }

    /**
     * Returns the dimensions in ggml order.
     *
     * @return a copy of ne
     */
    @Override
    public long[] ne() {
        return ne.clone();
    }

    /**
     * Returns the row-major (PyTorch) shape: ne reversed.
     *
     * @return the shape
     */
    public long[] shape() {
        long[] shape = new long[ne.length];
        for (int i = 0; i < ne.length; i++) {
            shape[i] = ne[ne.length - 1 - i];
        }
        return shape;
    }

    /**
     * Returns the elements of one row (ne[0]).
     *
     * @return the row length
     */
    public long cols() {
        return ne[0];
    }

    /**
     * Returns the rows: the product of ne[1..].
     *
     * @return the row count
     */
    public long rows() {
        long rows = 1;
        for (int i = 1; i < ne.length; i++) {
            rows *= ne[i];
        }
        return rows;
    }

    /**
     * Returns the number of elements.
     *
     * @return the product of ne
     */
    public long elements() {
        return rows() * ne[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t
                && name.equals(t.name)
                && type == t.type
                && Arrays.equals(ne, t.ne)
                && offset == t.offset
                && position == t.position
                && bytes == t.bytes;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(ne);
    }

    @Override
    public String toString() {
        return name + " " + type + " ne" + Arrays.toString(ne);
    }
}
