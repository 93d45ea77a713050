package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * V-MoE / Shazeer load loss: the squared coefficient of variation of each expert's expected load
 * \(\sum_t P(e \in \text{selection}_t \mid \text{noise})\) over a routing group, averaged over
 * groups and summed over layers. Needs a noisy router ({@code CAPACITY_TOP_K} with {@code noiseStd
 * > 0}, or {@code NOISY_TOP_K}) in training, where the selection probability is smooth.
 */
public final class LoadLoss implements AuxiliaryLoss {

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "load_loss";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<LayerRouting> layers) {
        NDArray total = null;
        for (LayerRouting l : layers) {
            NDArray probabilities = l.decision().getLoadProbabilities();
            if (probabilities == null) {
                throw new IllegalStateException(
                        "LoadLoss needs selection probabilities: use a noisy router"
                                + " (CAPACITY_TOP_K with noiseStd > 0, or NOISY_TOP_K) in training");
            }
            NDArray load = RoutingStats.groupMean(probabilities, l.decision().getGroupSize());
            NDArray term = RoutingStats.cvSquared(load).mean();
            total = total == null ? term : total.add(term);
        }
        return total;
    }
}
