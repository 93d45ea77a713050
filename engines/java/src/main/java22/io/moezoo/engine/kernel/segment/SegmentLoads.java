package io.moezoo.engine.kernel.segment;

import io.moezoo.engine.kernel.vector.VectorLoads;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * JDK 22 and later: the Vector API reads {@code MemorySegment}s; a segment over the (mapped)
 * buffer is cheap and escapes no further than the load. Compiled for Java 22 (this source set is
 * built with a JDK 22+ compiler, see the module's pom) and loaded reflectively by {@link
 * VectorLoads#forThisJdk()}.
 */
public final class SegmentLoads extends VectorLoads {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Creates the loads (reflectively). */
    public SegmentLoads() {}

    @Override
    public FloatVector floats(VectorSpecies<Float> species, ByteBuffer data, int offset) {
        return FloatVector.fromMemorySegment(species, MemorySegment.ofBuffer(data), offset, LE);
    }

    @Override
    public ShortVector shorts(VectorSpecies<Short> species, ByteBuffer data, int offset) {
        return ShortVector.fromMemorySegment(species, MemorySegment.ofBuffer(data), offset, LE);
    }

    @Override
    public ByteVector bytes(VectorSpecies<Byte> species, ByteBuffer data, int offset) {
        return ByteVector.fromMemorySegment(species, MemorySegment.ofBuffer(data), offset, LE);
    }
}
