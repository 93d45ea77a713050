package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.StoredBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/** JDK 17 and 18: the Vector API reads {@code ByteBuffer}s directly. */
final class BufferLoads extends VectorLoads {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public Object view(ByteBuffer data) {
        return data;
    }

    @Override
    public FloatVector floats(VectorSpecies<Float> species, StoredBytes data, int offset) {
        return FloatVector.fromByteBuffer(species, data.buffer(), offset, LE);
    }

    @Override
    public ShortVector shorts(VectorSpecies<Short> species, StoredBytes data, int offset) {
        return ShortVector.fromByteBuffer(species, data.buffer(), offset, LE);
    }

    @Override
    public ByteVector bytes(VectorSpecies<Byte> species, StoredBytes data, int offset) {
        return ByteVector.fromByteBuffer(species, data.buffer(), offset, LE);
    }
}
