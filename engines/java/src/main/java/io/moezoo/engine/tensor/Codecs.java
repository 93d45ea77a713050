package io.moezoo.engine.tensor;

import java.util.Map;
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

    private static boolean vector;

    private static ArrayDot arrayDot = ArrayDot.SCALAR;

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
     * Whether the Vector API can load from buffers on this JDK (17-18, or 22+ with the segment
     * loads compiled).
     */
    private static boolean loadsBuffers() {
        try {
            return Class.forName("io.moezoo.engine.kernel.vector.VectorLoads")
                            .getMethod("forThisJdk")
                            .invoke(null)
                    != null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<WeightFormat, RowCodec> select() {
        Map<WeightFormat, RowCodec> codecs = ScalarCodecs.all();
        boolean wanted = !"false".equals(System.getProperty("moezoo.engine.vector"));
        boolean present = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        if (wanted && present && !loadsBuffers()) {
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
                arrayDot =
                        (ArrayDot) Class.forName(VECTOR_DOT).getDeclaredConstructor().newInstance();
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
