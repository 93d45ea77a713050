package io.moezoo.engines.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.moezoo.blocks.kernel.MatVecKernel;
import io.moezoo.blocks.kernel.RowProduct;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MatVecKernel} for DJL's PyTorch engine on the CPU: the weight is read in place through a
 * direct buffer over the tensor's memory ({@code toByteBuffer(true)}, no copy) by a Java Vector API
 * loop ({@link VectorGemv}) split across {@link #threads()} threads.
 *
 * <p>Why: for one row, PyTorch's CPU matrix product streams weights at a fraction of the memory
 * bandwidth on some processors, which caps the decode rate; the decode benchmark (README,
 * "Language- model inference") measures both products and a plain read side by side.
 *
 * <p>Used only when the JVM runs with {@code --add-modules jdk.incubator.vector}, for float32 CPU
 * arrays under 2 GiB, and when PyTorch would not record a gradient for the product.
 */
public final class VectorMatVecKernel implements MatVecKernel {

    private static final Logger logger = LoggerFactory.getLogger(VectorMatVecKernel.class);
    private static final boolean VECTOR_API = vectorApiUsable();
    private static final MethodHandle IS_CONTIGUOUS = contiguityTest();

    /** {@code torch::kStrided} as DJL's {@code JniUtils.getLayout} reports it. */
    private static final int STRIDED_LAYOUT = 0;

    /** Creates the kernel (ServiceLoader). */
    public VectorMatVecKernel() {}

    /**
     * Whether the kernel can run in this JVM: the Vector API module is present ({@code
     * --add-modules jdk.incubator.vector}) and still reads vectors from byte buffers, as JDK 17 to
     * 19 do (JDK 20 replaced those methods by memory-segment ones; there the engine computes every
     * product).
     *
     * @return whether the kernel can run at all
     */
    @Override
    public boolean isAvailable() {
        return VECTOR_API;
    }

    /**
     * The threads one product is split across ({@code moezoo.matvec.threads}, default: the
     * available processors).
     *
     * @return the thread count
     */
    public static int threads() {
        return VECTOR_API ? VectorGemv.threads() : 1;
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "java-vector (" + threads() + " threads)";
    }

    /** {@inheritDoc} */
    @Override
    public boolean supports(NDArray x, NDArray weight) {
        return isCpuFloat(x) && supportsRows(weight) && !recorded((PtNDArray) x);
    }

    /** {@inheritDoc} */
    @Override
    public boolean supportsRows(NDArray weight) {
        return isCpuFloat(weight)
                && weight.getShape().size() * Float.BYTES <= Integer.MAX_VALUE
                && !recorded((PtNDArray) weight);
    }

    private static boolean isCpuFloat(NDArray a) {
        return VECTOR_API
                && a instanceof PtNDArray
                && Device.cpu().equals(a.getDevice())
                && a.getDataType() == DataType.FLOAT32;
    }

    /** PyTorch records an operation only in grad mode and when an input requires a gradient. */
    private static boolean recorded(PtNDArray a) {
        return JniUtils.isGradMode() && JniUtils.requiresGrad(a);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray multiply(NDArray x, NDArray weight) {
        Shape w = weight.getShape();
        int rows = Math.toIntExact(w.get(0));
        float[] vector = x.toFloatArray();
        if (vector.length != w.get(1)) {
            throw new IllegalArgumentException(
                    "Expected one row of " + w.get(1) + " values, got shape " + x.getShape());
        }
        RowProduct product = RowProduct.of(weight, 0, rows, vector);
        multiplyRows(List.of(product));
        Shape in = x.getShape();
        return x.getManager().create(product.y(), in.slice(0, in.dimension() - 1).add(rows));
    }

    /** {@inheritDoc} */
    @Override
    public void multiplyRows(List<RowProduct> products) {
        if (products.isEmpty()) {
            return;
        }
        NDManager scope = null;
        try {
            Map<NDArray, ByteBuffer> buffers = new IdentityHashMap<>();
            List<VectorGemv.Product> batch = new ArrayList<>(products.size());
            for (RowProduct p : products) {
                ByteBuffer data = buffers.get(p.weight());
                if (data == null) {
                    if (readsInPlace(p.weight())) {
                        data = p.weight().toByteBuffer(true);
                    } else {
                        if (scope == null) {
                            scope = p.weight().getManager().newSubManager();
                        }
                        data = contiguousCopy(p.weight(), scope);
                    }
                    data.order(ByteOrder.nativeOrder());
                    buffers.put(p.weight(), data);
                }
                long offset = p.firstRow() * p.x().length * Float.BYTES;
                batch.add(new VectorGemv.Product(data, (int) offset, p.x(), p.y()));
            }
            VectorGemv.multiply(batch);
        } finally {
            if (scope != null) {
                scope.close();
            }
        }
    }

    /**
     * Whether the weight is a dense, contiguous tensor: then {@code toByteBuffer(true)} returns a
     * buffer over its own memory and creates nothing. Otherwise that call would attach a contiguous
     * copy to the weight's (long-lived) manager on every product, so such weights take {@link
     * #contiguousCopy}. False when PyTorch's contiguity test is out of reach.
     */
    static boolean readsInPlace(NDArray weight) {
        if (IS_CONTIGUOUS == null) {
            return false;
        }
        PtNDArray w = (PtNDArray) weight;
        if (JniUtils.getLayout(w) != STRIDED_LAYOUT) {
            return false;
        }
        long handle = w.getHandle();
        try {
            return (boolean) IS_CONTIGUOUS.invokeExact(handle);
        } catch (RuntimeException e) {
            return false; // a tensor PyTorch cannot answer for: the copy path handles it
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("torchIsContiguous declares no checked exception", e);
        }
    }

    /**
     * A buffer over a contiguous copy of the weight, owned by the call's scope rather than by the
     * model's manager: a reshaped handle is attached to the scope, and {@code toByteBuffer(true)}
     * makes the copy on that handle.
     */
    private static ByteBuffer contiguousCopy(NDArray weight, NDManager scope) {
        NDArray view = weight.reshape(weight.getShape());
        view.attach(scope);
        return view.toByteBuffer(true);
    }

    /**
     * PyTorch's {@code Tensor::is_contiguous} as DJL binds it ({@code
     * PyTorchLibrary.torchIsContiguous(long)}; DJL keeps the class package-private and exposes no
     * contiguity test). Asking costs one JNI call, where the reshape that {@link #contiguousCopy}
     * needs costs a tensor handle, its registration and its release: a few microseconds per
     * product, with cold caches after each product several times that. Null (every weight then
     * takes the copy path) when the binding cannot be reached.
     */
    private static MethodHandle contiguityTest() {
        try {
            Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field instance = library.getDeclaredField("LIB");
            instance.setAccessible(true);
            Method test = library.getDeclaredMethod("torchIsContiguous", long.class);
            test.setAccessible(true);
            return MethodHandles.lookup().unreflect(test).bindTo(instance.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            logger.debug("PyTorch's contiguity test is out of reach; weights are copied", e);
            return null;
        }
    }

    private static boolean vectorApiUsable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            Class.forName("jdk.incubator.vector.FloatVector")
                    .getMethod(
                            "fromByteBuffer",
                            Class.forName("jdk.incubator.vector.VectorSpecies"),
                            ByteBuffer.class,
                            int.class,
                            ByteOrder.class);
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            logger.warn(
                    "The Java matrix-vector kernel needs the byte-buffer Vector API of JDK 17-19;"
                            + " this JVM ({}) lacks it, so PyTorch computes every product",
                    Runtime.version());
            return false;
        }
    }
}
