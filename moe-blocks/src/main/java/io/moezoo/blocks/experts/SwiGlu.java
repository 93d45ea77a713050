package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/** The SwiGLU activation on a fused gate/up projection. */
final class SwiGlu {

    private SwiGlu() {}

    /**
     * Computes {@code silu(h[..., :I]) ⊙ h[..., I:]} for a fused projection {@code h = x·[W_gate;
     * W_up]ᵀ} whose last axis holds the I gate columns first, then the I up columns.
     *
     * @param fused the fused projection {@code [..., 2I]}
     * @return {@code [..., I]}
     */
    static NDArray apply(NDArray fused) {
        // One split (its backward is one concatenation) rather than two slices.
        NDList gateUp = fused.split(2, fused.getShape().dimension() - 1);
        return silu(gateUp.get(0)).mul(gateUp.get(1));
    }

    /**
     * Computes \(\mathrm{silu}(x) = x\,\sigma(x)\) in two engine operations (DJL's {@code
     * Activation.swish} takes three).
     *
     * @param x the input
     * @return silu(x)
     */
    static NDArray silu(NDArray x) {
        return Activation.sigmoid(x).mul(x);
    }
}
