package io.moezoo.engine.kernel.segment;

import io.moezoo.engine.kernel.vector.VectorLoads;
import io.moezoo.engine.tensor.StoredBytes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * JDK 22 and later: the Vector API reads {@code MemorySegment}s. Each chunk's segment is made once
 * ({@link #view}) and kept in its {@link StoredBytes}, so the loads in a kernel's loop share one
 * segment whose bounds the JIT checks once (a segment made per load costs about a third of the Q8_0
 * kernel's speed). Compiled for Java 22 (this source set is built with a JDK 22+ compiler, see the
 * module's pom) and loaded reflectively by {@link VectorLoads#forThisJdk()}.
 */
public final class SegmentLoads extends VectorLoads {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Creates the loads (reflectively). */
    public SegmentLoads() {}

    @Override
    public Object view(ByteBuffer data) {
        return MemorySegment.ofBuffer(data);
    }

    @Override
    public FloatVector floats(VectorSpecies<Float> species, StoredBytes data, int offset) {
        return FloatVector.fromMemorySegment(species, (MemorySegment) data.view(), offset, LE);
    }

    @Override
    public ShortVector shorts(VectorSpecies<Short> species, StoredBytes data, int offset) {
        return ShortVector.fromMemorySegment(species, (MemorySegment) data.view(), offset, LE);
    }

    @Override
    public ByteVector bytes(VectorSpecies<Byte> species, StoredBytes data, int offset) {
        return ByteVector.fromMemorySegment(species, (MemorySegment) data.view(), offset, LE);
    }

    @Override
    public float f16(StoredBytes data, int offset) {
        return Float.float16ToFloat(data.getShort(offset));
    }
}
