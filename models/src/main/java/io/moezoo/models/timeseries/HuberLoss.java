package io.moezoo.models.timeseries;

import ai.djl.ndarray.NDArray;
import io.moezoo.blocks.Scalars;

/**
 * The element-wise Huber loss ({@code torch.nn.HuberLoss(reduction="none", delta=δ)}), written with
 * {@link Scalars} operands so its gradient is safe on DJL's PyTorch engine (DJL has no Huber loss):
 *
 * <p>ℓ_δ(r) = ½ r² when |r| ≤ δ, else δ(|r| − ½δ); computed as \(\tfrac12 q^2 + \delta(|r| - q)\)
 * with \(q = \min(|r|, \delta)\). Its derivative is r inside the band and δ·sign(r) outside.
 */
public final class HuberLoss {

    private HuberLoss() {}

    /**
     * Computes the loss of each residual.
     *
     * @param residual r = prediction − label (any shape)
     * @param delta δ &gt; 0
     * @return ℓ_δ(r), shaped like r
     * @throws IllegalArgumentException if δ is not positive
     */
    public static NDArray elementwise(NDArray residual, float delta) {
        if (!(delta > 0) || Float.isInfinite(delta)) {
            throw new IllegalArgumentException("Huber delta must be finite and > 0, got " + delta);
        }
        NDArray a = residual.abs();
        NDArray q = a.minimum(Scalars.of(delta, a));
        NDArray linear = a.sub(q);
        return q.square().mul(Scalars.of(0.5f, q)).add(linear.mul(Scalars.of(delta, linear)));
    }
}
