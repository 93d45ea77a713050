package io.moezoo.engines.pytorch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.moezoo.blocks.kernel.MatVecKernel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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

    private static final boolean VECTOR_API =
            ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Creates the kernel (ServiceLoader). */
    public VectorMatVecKernel() {}

    /**
     * Whether the Vector API module is present in this JVM ({@code --add-modules
     * jdk.incubator.vector}).
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
        if (!VECTOR_API || !(x instanceof PtNDArray) || !(weight instanceof PtNDArray)) {
            return false;
        }
        if (!Device.cpu().equals(x.getDevice()) || !Device.cpu().equals(weight.getDevice())) {
            return false;
        }
        if (x.getDataType() != DataType.FLOAT32 || weight.getDataType() != DataType.FLOAT32) {
            return false;
        }
        if (weight.getShape().size() * Float.BYTES > Integer.MAX_VALUE) {
            return false;
        }
        // PyTorch records an operation only in grad mode and when an input requires a gradient.
        boolean recorded =
                JniUtils.isGradMode()
                        && (JniUtils.requiresGrad((PtNDArray) x)
                                || JniUtils.requiresGrad((PtNDArray) weight));
        return !recorded;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray multiply(NDArray x, NDArray weight) {
        Shape w = weight.getShape();
        int rows = Math.toIntExact(w.get(0));
        int columns = Math.toIntExact(w.get(1));
        float[] vector = x.toFloatArray();
        if (vector.length != columns) {
            throw new IllegalArgumentException(
                    "Expected one row of " + columns + " values, got shape " + x.getShape());
        }
        Shape in = x.getShape();
        NDArray y =
                x.getManager().create(in.slice(0, in.dimension() - 1).add(rows), DataType.FLOAT32);
        try (NDManager scope = x.getManager().newSubManager()) {
            // A view owned by this call: if the weight is not contiguous, toByteBuffer(true) makes
            // a contiguous copy owned by the view's manager, freed here rather than kept by the
            // model's manager. For contiguous weights (parameters, expert slices) both buffers
            // alias tensor memory: the weight is read and the result written in place.
            NDArray view = weight.reshape(weight.getShape());
            view.attach(scope);
            ByteBuffer data = view.toByteBuffer(true).order(ByteOrder.nativeOrder());
            ByteBuffer out = y.toByteBuffer(true).order(ByteOrder.nativeOrder());
            VectorGemv.multiply(data, vector, out, rows, columns);
        }
        return y;
    }
}
