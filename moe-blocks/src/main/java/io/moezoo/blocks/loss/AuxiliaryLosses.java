package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import io.moezoo.blocks.Scalars;
import java.util.List;

/**
 * The weighted sum of auxiliary losses that a model appends to its training output: \(\sum_k c_k
 * L_k(\text{routing})\), named {@value MoeLoss#AUX_LOSS} for {@link MoeLoss}.
 */
public final class AuxiliaryLosses {

    private AuxiliaryLosses() {}

    /**
     * Computes every term on the routing of one pass and sums them with their coefficients, in the
     * order given.
     *
     * @param terms the losses and coefficients; not empty
     * @param layers the routing of each MoE layer, in layer order; not empty
     * @return the scalar sum, named {@value MoeLoss#AUX_LOSS}
     * @throws IllegalArgumentException if there are no terms or no layers
     */
    public static NDArray weightedSum(List<AuxLossTerm> terms, List<LayerRouting> layers) {
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("The auxiliary-loss sum needs at least one term");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(
                    "The auxiliary-loss sum needs the routing of at least one MoE layer");
        }
        NDArray sum = null;
        for (AuxLossTerm term : terms) {
            NDArray loss = term.loss().compute(layers);
            NDArray value = loss.mul(Scalars.of(term.coefficient(), loss));
            sum = sum == null ? value : sum.add(value);
        }
        sum.setName(MoeLoss.AUX_LOSS);
        return sum;
    }
}
