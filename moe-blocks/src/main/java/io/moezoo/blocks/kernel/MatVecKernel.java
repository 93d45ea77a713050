package io.moezoo.blocks.kernel;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A matrix-vector product \(y = W x\) for inference that beats the engine's own operator on some
 * hardware: decoding one token is a chain of such products, so their speed sets the decode rate.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} and used through {@link
 * MatVec}, which only calls {@link #multiply} after {@link #supports} said yes. An implementation
 * must give the engine's result up to float32 summation order, and must never be used where
 * gradients are recorded.
 */
public interface MatVecKernel {

    /**
     * Returns a short name for logs and benchmark tables.
     *
     * @return the name
     */
    String name();

    /**
     * Whether this kernel can run in this JVM at all (for example, whether a module it needs is
     * present); {@link MatVec} skips kernels that cannot.
     *
     * @return whether the kernel is usable
     */
    default boolean isAvailable() {
        return true;
    }

    /**
     * Whether this kernel can compute {@code x · weightᵀ} for these arrays (engine, device, data
     * type, sizes, no gradient recording).
     *
     * @param x one row {@code [1, K]} (or {@code [1, 1, K]})
     * @param weight {@code [N, K]}, row-major and contiguous
     * @return whether {@link #multiply} may be called
     */
    boolean supports(NDArray x, NDArray weight);

    /**
     * Computes {@code x · weightᵀ}.
     *
     * @param x one row {@code [1, K]} (or {@code [1, 1, K]})
     * @param weight {@code [N, K]}
     * @return {@code [1, N]} (or {@code [1, 1, N]}), owned by x's manager
     */
    NDArray multiply(NDArray x, NDArray weight);

    /**
     * Whether this kernel can multiply host vectors by rows of this weight ({@link #multiplyRows}):
     * the single-token decode path of the language models runs on host vectors when the answer is
     * yes for the model's weights.
     *
     * @param weight a parameter, row-major and contiguous, of any rank (rows are its last axis)
     * @return whether {@link #multiplyRows} may be called; false unless overridden
     */
    default boolean supportsRows(NDArray weight) {
        return false;
    }

    /**
     * Computes a batch of host-vector products, reading each weight in place. A batch lets the
     * kernel split the rows of several small products (the q, k and v projections, the experts of
     * one token) across its threads at once.
     *
     * @param products the products; {@link #supportsRows} said yes for each weight
     * @throws UnsupportedOperationException unless overridden
     */
    default void multiplyRows(List<RowProduct> products) {
        throw new UnsupportedOperationException(name() + " does not multiply host vectors");
    }
}
