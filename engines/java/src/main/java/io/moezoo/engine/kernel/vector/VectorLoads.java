package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.StoredBytes;
import java.nio.ByteBuffer;
import java.util.function.Function;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Loads vectors from stored (little-endian) bytes, the one thing the Vector API does differently
 * across JDKs: JDK 17 and 18 read a {@code ByteBuffer} ({@code fromByteBuffer}); JDK 22 and later
 * read a {@code MemorySegment} over it ({@code fromMemorySegment}, see {@code
 * io.moezoo.engine.kernel.segment.SegmentLoads}, compiled for Java 22). On JDK 19 to 21 neither is
 * available without preview features, and {@link #forThisJdk()} returns null. The codecs call the
 * one instance of this JVM, which the JIT inlines.
 */
public abstract class VectorLoads implements Function<ByteBuffer, Object> {

    private static final String SEGMENT_LOADS = "io.moezoo.engine.kernel.segment.SegmentLoads";

    /** The loads of this JVM (null when the Vector API cannot read buffers here). */
    static final VectorLoads INSTANCE = forThisJdk();

    /** For subclasses. */
    protected VectorLoads() {}

    /**
     * Returns the loads for the running JDK, or null when none works here.
     *
     * @return the loads
     */
    public static VectorLoads forThisJdk() {
        int feature = Runtime.version().feature();
        if (feature <= 18) {
            return new BufferLoads();
        }
        if (feature >= 22) {
            try {
                return (VectorLoads)
                        Class.forName(SEGMENT_LOADS).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Returns the form these loads read a chunk of bytes in, made once per chunk (see {@link
     * StoredBytes#view()}).
     *
     * @param data the little-endian bytes
     * @return the view
     */
    public abstract Object view(ByteBuffer data);

    /**
     * Same as {@link #view}.
     *
     * @param data the little-endian bytes
     * @return the view
     */
    @Override
    public final Object apply(ByteBuffer data) {
        return view(data);
    }

    /**
     * Loads floats.
     *
     * @param species the species
     * @param data the bytes
     * @param offset the byte position
     * @return the vector
     */
    public abstract FloatVector floats(VectorSpecies<Float> species, StoredBytes data, int offset);

    /**
     * Loads shorts.
     *
     * @param species the species
     * @param data the bytes
     * @param offset the byte position
     * @return the vector
     */
    public abstract ShortVector shorts(VectorSpecies<Short> species, StoredBytes data, int offset);

    /**
     * Loads bytes.
     *
     * @param species the species
     * @param data the bytes
     * @param offset the byte position
     * @return the vector
     */
    public abstract ByteVector bytes(VectorSpecies<Byte> species, StoredBytes data, int offset);

    /**
     * Reads a block's little-endian F16 scale as float32, exactly ({@link BlockScales}' bit
     * arithmetic here; Java 22 and later use {@code Float.float16ToFloat}, one conversion
     * instruction on CPUs with F16C).
     *
     * @param data the bytes
     * @param offset the byte position
     * @return the value
     */
    public float f16(StoredBytes data, int offset) {
        return BlockScales.f16(data, offset);
    }
}
