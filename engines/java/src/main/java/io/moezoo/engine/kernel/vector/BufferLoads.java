package io.moezoo.engine.kernel.vector;

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
    public FloatVector floats(VectorSpecies<Float> species, ByteBuffer data, int offset) {
        return FloatVector.fromByteBuffer(species, data, offset, LE);
    }

    @Override
    public ShortVector shorts(VectorSpecies<Short> species, ByteBuffer data, int offset) {
        return ShortVector.fromByteBuffer(species, data, offset, LE);
    }

    @Override
    public ByteVector bytes(VectorSpecies<Byte> species, ByteBuffer data, int offset) {
        return ByteVector.fromByteBuffer(species, data, offset, LE);
    }
}
