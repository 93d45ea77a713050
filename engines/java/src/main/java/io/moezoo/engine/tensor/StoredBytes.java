package io.moezoo.engine.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One chunk of stored weight bytes (little-endian, usually memory-mapped), in the two forms the
 * kernels read: the {@link ByteBuffer}, for scalar reads, and the view the vector loads of this JDK
 * take (the buffer itself on Java 17 and 18, a {@code MemorySegment} over it on Java 22 and later).
 * The view is made once here, not per load: on Java 22+ that is what lets the JIT hoist the
 * segment's bounds and liveness checks out of the kernels' loops.
 */
public final class StoredBytes {

    private final ByteBuffer buffer;
    private final Object view;

    private StoredBytes(ByteBuffer buffer, Object view) {
        this.buffer = buffer;
        this.view = view;
    }

    /**
     * Wraps bytes (the buffer's position and limit are left alone: a little-endian duplicate of it
     * is read, from index 0 to its capacity).
     *
     * @param data the bytes
     * @return the chunk
     */
    public static StoredBytes of(ByteBuffer data) {
        ByteBuffer ordered = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new StoredBytes(ordered, Codecs.loadView(ordered));
    }

    /**
     * Makes a chunk over a new heap array (a staging area: see {@link RowReads}).
     *
     * @param capacity the bytes
     * @return the chunk, zeros; {@code buffer().array()} is its array
     */
    static StoredBytes heap(int capacity) {
        return of(ByteBuffer.wrap(new byte[capacity]));
    }

    /**
     * Returns the bytes as a little-endian buffer.
     *
     * @return the buffer
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Returns the form the vector loads of this JDK read (see {@code VectorLoads#view}).
     *
     * @return the view
     */
    public Object view() {
        return view;
    }

    /**
     * Returns the number of bytes.
     *
     * @return the capacity
     */
    public int capacity() {
        return buffer.capacity();
    }

    /**
     * Reads a byte.
     *
     * @param at the byte position
     * @return the byte
     */
    public byte get(int at) {
        return buffer.get(at);
    }

    /**
     * Reads a little-endian 16-bit value.
     *
     * @param at the byte position
     * @return the value
     */
    public short getShort(int at) {
        return buffer.getShort(at);
    }

    /**
     * Reads a little-endian float32.
     *
     * @param at the byte position
     * @return the value
     */
    public float getFloat(int at) {
        return buffer.getFloat(at);
    }
}
