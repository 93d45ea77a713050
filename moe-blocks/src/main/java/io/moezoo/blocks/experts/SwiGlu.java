package io.moezoo.blocks.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The SwiGLU activation on a fused gate/up projection. */
final class SwiGlu {

    private SwiGlu() {}

    /**
     * Computes {@code silu(h[..., :I]) ⊙ h[..., I:]} for a fused projection {@code h = x·[W_gate;
     * W_up]ᵀ} whose last axis holds the I gate columns first, then the I up columns.
     *
     * @param fused the fused projection {@code [..., 2I]}
     * @param intermediate I
     * @return {@code [..., I]}
     */
    static NDArray apply(NDArray fused, long intermediate) {
        String lead = fused.getShape().dimension() == 3 ? ":, :, " : ":, ";
        NDArray gate = fused.get(lead + ":" + intermediate);
        NDArray up = fused.get(lead + intermediate + ":");
        return Activation.swish(gate, 1f).mul(up);
    }
}
