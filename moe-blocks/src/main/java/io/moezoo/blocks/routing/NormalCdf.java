package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import io.moezoo.blocks.Scalars;

/** The standard normal CDF \(\Phi(z) = \tfrac12 (1 + \mathrm{erf}(z / \sqrt 2))\) on NDArrays. */
final class NormalCdf {

    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));

    private NormalCdf() {}

    /**
     * Computes Φ(z).
     *
     * @param z the argument
     * @return Φ(z)
     */
    static NDArray of(NDArray z) {
        return z.mul(Scalars.of(INV_SQRT2, z)).erf().add(1f).mul(Scalars.of(0.5f, z));
    }

    /**
     * Computes 1 - Φ(z) = Φ(-z).
     *
     * @param z the argument
     * @return 1 - Φ(z)
     */
    static NDArray complement(NDArray z) {
        return of(z.neg());
    }
}
