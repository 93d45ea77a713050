package io.moezoo.blocks.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The linear map \(y = x W^\top (+ b)\) of every projection on the decode path, routed to a faster
 * {@link MatVecKernel} when one is installed and the call qualifies, to DJL's {@code Linear.linear}
 * otherwise.
 *
 * <p>A call qualifies when x is a single row (one token), the weight has at least {@link
 * #getMinElements()} entries (below that the engine's single call is cheaper than the hand-off),
 * and the kernel {@link MatVecKernel#supports supports} the arrays (for the PyTorch kernel of
 * {@code moe-zoo-engine-pytorch}: float32 on the CPU, no gradient recording, and a JVM started with
 * {@code --add-modules jdk.incubator.vector}). Everything else, training and prefill included,
 * takes the engine's path, so results differ from it only by float32 summation order.
 *
 * <p>{@link #rows(java.util.List)} is the host-vector form used by the single-token decode path:
 * the vector and the result are Java arrays and only the weight is a tensor, read in place by the
 * kernel, so a projection costs no engine call at all. Callers check {@link #supportsRows} first.
 *
 * <p>System properties: {@code moezoo.matvec=engine} turns the kernel off, {@code
 * moezoo.matvec.minElements} sets the size threshold (default {@value #DEFAULT_MIN_ELEMENTS}).
 */
public final class MatVec {

    /** The default smallest weight, in entries, handed to the kernel. */
    public static final long DEFAULT_MIN_ELEMENTS = 1L << 12;

    private static final Logger logger = LoggerFactory.getLogger(MatVec.class);
    private static final MatVecKernel KERNEL = loadKernel();
    private static volatile boolean enabled =
            !"engine".equals(System.getProperty("moezoo.matvec", "auto"));
    private static volatile long minElements =
            Long.getLong("moezoo.matvec.minElements", DEFAULT_MIN_ELEMENTS);
    private static final LongAdder KERNEL_CALLS = new LongAdder();
    private static final LongAdder KERNEL_NANOS = new LongAdder();
    private static final LongAdder ROWS_CALLS = new LongAdder();

    private MatVec() {}

    /**
     * Computes {@code x · weightᵀ} over the last axis of x.
     *
     * @param x {@code [..., K]}
     * @param weight {@code [N, K]}, row-major and contiguous (a parameter, or one expert's slice of
     *     a stacked parameter)
     * @return {@code [..., N]}
     */
    public static NDArray linear(NDArray x, NDArray weight) {
        MatVecKernel kernel = kernelFor(x, weight);
        return kernel != null ? multiply(kernel, x, weight) : Linear.linear(x, weight).head();
    }

    /**
     * Computes {@code x · weightᵀ + bias} over the last axis of x.
     *
     * @param x {@code [..., K]}
     * @param weight {@code [N, K]}, row-major and contiguous
     * @param bias {@code [N]}, or null
     * @return {@code [..., N]}
     */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        if (bias == null) {
            return linear(x, weight);
        }
        MatVecKernel kernel = kernelFor(x, weight);
        return kernel != null
                ? multiply(kernel, x, weight).add(bias)
                : Linear.linear(x, weight, bias).head();
    }

    private static NDArray multiply(MatVecKernel kernel, NDArray x, NDArray weight) {
        long start = System.nanoTime();
        NDArray y = kernel.multiply(x, weight);
        KERNEL_NANOS.add(System.nanoTime() - start);
        KERNEL_CALLS.increment();
        return y;
    }

    /**
     * Whether host-vector products ({@link #rows}) can be computed for this weight: the kernel is
     * installed, enabled and {@link MatVecKernel#supportsRows supports} it. The single-token decode
     * path asks this once per step for the model's weights.
     *
     * @param weight a parameter
     * @return whether {@link #rows} may be called with it
     */
    public static boolean supportsRows(NDArray weight) {
        return enabled && KERNEL != null && KERNEL.supportsRows(weight);
    }

    /**
     * Multiplies a host vector by consecutive rows of a weight: {@code y[r] = Σ_k W[firstRow + r,
     * k] x[k]}, W being the weight viewed as a matrix with {@code x.length} columns.
     *
     * @param weight the weight; {@link #supportsRows} said yes
     * @param firstRow the first row (expert e of a stacked {@code [E, N, K]} weight starts at
     *     {@code e·N})
     * @param rows the number of rows N
     * @param x the vector, K values
     * @return the N products
     * @throws IllegalArgumentException if the rows lie outside the weight
     * @throws IllegalStateException if no kernel is enabled
     */
    public static float[] rows(NDArray weight, long firstRow, int rows, float[] x) {
        RowProduct product = RowProduct.of(weight, firstRow, rows, x);
        rows(List.of(product));
        return product.y();
    }

    /**
     * Computes a batch of host-vector products in one call to the kernel.
     *
     * @param products the products; {@link #supportsRows} said yes for each weight
     * @throws IllegalStateException if no kernel is enabled
     */
    public static void rows(List<RowProduct> products) {
        if (!isEnabled()) {
            throw new IllegalStateException("No matrix-vector kernel is enabled");
        }
        long start = System.nanoTime();
        KERNEL.multiplyRows(products);
        KERNEL_NANOS.add(System.nanoTime() - start);
        KERNEL_CALLS.increment();
        ROWS_CALLS.increment();
    }

    /**
     * Returns how many products the kernel has computed in this JVM.
     *
     * @return the count
     */
    public static long kernelCalls() {
        return KERNEL_CALLS.sum();
    }

    /**
     * Returns how many of those products multiplied host vectors ({@link #rows}, the single-token
     * decode path).
     *
     * @return the count
     */
    public static long rowsCalls() {
        return ROWS_CALLS.sum();
    }

    /**
     * Returns the wall-clock time spent in the kernel in this JVM (benchmarks split a decode step
     * into matrix products and everything else).
     *
     * @return nanoseconds
     */
    public static long kernelNanos() {
        return KERNEL_NANOS.sum();
    }

    /**
     * Returns the installed kernel's name, or null when none is available in this JVM.
     *
     * @return the kernel name
     */
    public static String kernelName() {
        return KERNEL == null ? null : KERNEL.name();
    }

    /**
     * Whether an installed kernel is used for qualifying calls.
     *
     * @return whether the kernel is enabled
     */
    public static boolean isEnabled() {
        return enabled && KERNEL != null;
    }

    /**
     * Turns the kernel on or off for every later call (benchmarks compare both in one run).
     *
     * @param on whether to use the kernel
     */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /**
     * Returns the smallest weight, in entries, handed to the kernel.
     *
     * @return the threshold
     */
    public static long getMinElements() {
        return minElements;
    }

    /**
     * Sets the smallest weight, in entries, handed to the kernel.
     *
     * @param elements the threshold, at least 0
     * @throws IllegalArgumentException if elements is negative
     */
    public static void setMinElements(long elements) {
        if (elements < 0) {
            throw new IllegalArgumentException("minElements must be >= 0, got " + elements);
        }
        minElements = elements;
    }

    private static MatVecKernel kernelFor(NDArray x, NDArray weight) {
        if (!enabled || KERNEL == null || weight.getShape().dimension() != 2) {
            return null;
        }
        long k = weight.getShape().get(1);
        if (x.getShape().isScalar() || x.getShape().getLastDimension() != k) {
            return null;
        }
        boolean oneRow = x.getShape().size() == k;
        return oneRow && weight.getShape().size() >= minElements && KERNEL.supports(x, weight)
                ? KERNEL
                : null;
    }

    private static MatVecKernel loadKernel() {
        try {
            for (MatVecKernel kernel : ServiceLoader.load(MatVecKernel.class)) {
                if (kernel.isAvailable()) {
                    return kernel;
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            logger.warn("Matrix-vector kernel could not be loaded, using the engine's", e);
        }
        return null;
    }
}
