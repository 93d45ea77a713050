package io.moezoo.engine.tensor;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The {@link RowCodec} of each format this JVM runs best: the Vector API codecs when the {@code
 * jdk.incubator.vector} module is present (run with {@code --add-modules jdk.incubator.vector}),
 * else the {@link ScalarCodecs}, with one warning that says so. {@code
 * -Dmoezoo.engine.vector=false} forces the scalar codecs.
 */
public final class Codecs {

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CODECS = "io.moezoo.engine.kernel.vector.VectorCodecs";
    private static final String VECTOR_DOT = "io.moezoo.engine.kernel.vector.VectorArrayDot";
    private static final String VECTOR_LOADS = "io.moezoo.engine.kernel.vector.VectorLoads";

    private static boolean vector;

    private static ArrayDot arrayDot = ArrayDot.SCALAR;

    private static Function<ByteBuffer, Object> loadViews = data -> data;

    private static Mxfp4Codec mxfp4 = new ScalarMxfp4Codec();

    private static final Map<WeightFormat, RowCodec> CODECS = select();

    private Codecs() {}

    /**
     * Returns the codec of a format.
     *
     * @param format the format
     * @return the codec
     */
    public static RowCodec of(WeightFormat format) {
        RowCodec codec = CODECS.get(format);
        if (codec == null) {
            throw new IllegalStateException("No codec registered for " + format);
        }
        return codec;
    }

    /**
     * Returns the codec of MXFP4 rows, whose scales are stored apart from their values: the Vector
     * API form with the other vector codecs (on a CPU whose preferred float species has 8 or 16
     * lanes), else the {@link ScalarMxfp4Codec}.
     *
     * @return the codec
     */
    public static Mxfp4Codec mxfp4() {
        return mxfp4;
    }

    /**
     * Returns the dot product of float arrays (vectorised with the codecs).
     *
     * @return the kernel
     */
    public static ArrayDot arrayDot() {
        return arrayDot;
    }

    /**
     * Whether the Vector API codecs are in use.
     *
     * @return true when vectorised
     */
    public static boolean vectorized() {
        return vector;
    }

    /**
     * Returns the form the kernels of this JVM read a chunk of stored bytes in (see {@link
     * StoredBytes#view()}): the buffer itself for the scalar codecs and on Java 17-18.
     *
     * @param data the little-endian bytes
     * @return the view
     */
    static Object loadView(ByteBuffer data) {
        return loadViews.apply(data);
    }

    /**
     * The Vector API loads of this JDK (17-18, or 22+ with the segment loads compiled), or null.
     */
    @SuppressWarnings("unchecked")
    private static Function<ByteBuffer, Object> vectorLoads() {
        try {
            return (Function<ByteBuffer, Object>)
                    Class.forName(VECTOR_LOADS).getMethod("forThisJdk").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<WeightFormat, RowCodec> select() {
        Map<WeightFormat, RowCodec> codecs = ScalarCodecs.all();
        boolean wanted = !"false".equals(System.getProperty("moezoo.engine.vector"));
        boolean present = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        Function<ByteBuffer, Object> loads = wanted && present ? vectorLoads() : null;
        if (wanted && present && loads == null) {
            Logger.getLogger(Codecs.class.getName())
                    .warning(
                            "MoeJava engine: on Java "
                                    + Runtime.version().feature()
                                    + " the Vector API reads mapped weights only through preview"
                                    + " features, so the kernels run without SIMD (several times"
                                    + " slower); use Java 17 or 22 and later");
            return codecs;
        }
        if (wanted && present) {
            try {
                Supplier<Map<WeightFormat, RowCodec>> vectorCodecs =
                        (Supplier<Map<WeightFormat, RowCodec>>)
                                Class.forName(VECTOR_CODECS).getDeclaredConstructor().newInstance();
                codecs.putAll(vectorCodecs.get());
                // The MXFP4 codec is no RowCodec (its scales lie apart): a method of its own.
                Object vectorMxfp4 =
                        vectorCodecs.getClass().getMethod("mxfp4").invoke(vectorCodecs);
                if (vectorMxfp4 != null) {
                    mxfp4 = (Mxfp4Codec) vectorMxfp4;
                }
                arrayDot =
                        (ArrayDot) Class.forName(VECTOR_DOT).getDeclaredConstructor().newInstance();
                loadViews = loads;
                vector = true;
                return codecs;
            } catch (ReflectiveOperationException | LinkageError e) {
                Logger.getLogger(Codecs.class.getName())
                        .warning(
                                "MoeJava engine: the Vector API codecs failed to load ("
                                        + e
                                        + "); running the slower scalar kernels");
                return codecs;
            }
        }
        if (wanted) {
            Logger.getLogger(Codecs.class.getName())
                    .warning(
                            "MoeJava engine: the "
                                    + VECTOR_MODULE
                                    + " module is not present, so the kernels run without SIMD"
                                    + " (several times slower); start the JVM with --add-modules "
                                    + VECTOR_MODULE);
        }
        return codecs;
    }
}
