package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** An auxiliary MoE loss computed from the routing of every MoE layer of one forward pass. */
public interface AuxiliaryLoss {

    /**
     * Returns the name under which the loss is reported.
     *
     * @return the name
     */
    String name();

    /**
     * Computes the loss (a scalar, without coefficient).
     *
     * @param layers the routing of each MoE layer, in layer order; not empty
     * @return a scalar NDArray that is differentiable with respect to the router parameters
     */
    NDArray compute(List<LayerRouting> layers);
}
