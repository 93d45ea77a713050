package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.StoredBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * JDK 17 and 18: the Vector API reads {@code ByteBuffer}s directly, and heap arrays much faster
 * (one instruction a load instead of about 15), so bytes over a whole heap array are read through
 * the array (the engine stages mapped rows into one, see {@code RowReads}).
 */
final class BufferLoads extends VectorLoads {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public Object view(ByteBuffer data) {
        return data.hasArray() && data.arrayOffset() == 0 && data.capacity() == data.array().length
                ? data.array()
                : data;
    }

    @Override
    public FloatVector floats(VectorSpecies<Float> species, StoredBytes data, int offset) {
        if (data.view() instanceof byte[] array) {
            return FloatVector.fromByteArray(species, array, offset, LE);
        }
        return FloatVector.fromByteBuffer(species, data.buffer(), offset, LE);
    }

    @Override
    public ShortVector shorts(VectorSpecies<Short> species, StoredBytes data, int offset) {
        if (data.view() instanceof byte[] array) {
            return ShortVector.fromByteArray(species, array, offset, LE);
        }
        return ShortVector.fromByteBuffer(species, data.buffer(), offset, LE);
    }

    @Override
    public ByteVector bytes(VectorSpecies<Byte> species, StoredBytes data, int offset) {
        if (data.view() instanceof byte[] array) {
            return ByteVector.fromArray(species, array, offset);
        }
        return ByteVector.fromByteBuffer(species, data.buffer(), offset, LE);
    }
}
