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

    /**
     * {@link #apply} on a host vector: {@code silu(h[i]) · h[I + i]}.
     *
     * @param fused the fused projection, 2I values
     * @return I values
     */
    static float[] applyToken(float[] fused) {
        int half = fused.length / 2;
        return gated(fused, 0, fused, half, half);
    }

    /**
     * {@code silu(gate[i]) · up[i]} for separate gate and up projections of a host vector.
     *
     * @param gate the gate projection, I values
     * @param up the up projection, I values
     * @return I values
     */
    static float[] applyToken(float[] gate, float[] up) {
        return gated(gate, 0, up, 0, gate.length);
    }

    private static float[] gated(float[] gate, int gateFrom, float[] up, int upFrom, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = silu(gate[gateFrom + i]) * up[upFrom + i];
        }
        return y;
    }

    /**
     * \(\mathrm{silu}(x) = x\,\sigma(x)\) of one value, with σ in float32 as the engine's.
     *
     * @param x the input
     * @return silu(x)
     */
    static float silu(float x) {
        return sigmoid(x) * x;
    }

    /**
     * \(\sigma(x) = 1 / (1 + e^{-x})\) of one value, rounded to float32.
     *
     * @param x the input
     * @return σ(x)
     */
    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
