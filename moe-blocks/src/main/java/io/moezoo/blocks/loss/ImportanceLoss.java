package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * V-MoE / Shazeer importance loss: the squared coefficient of variation of each expert's summed
 * gate value over a routing group, \(\mathrm{CV}(\sum_t g_{t,:})^2\), averaged over groups and
 * summed over layers. Zero when every expert has the same importance.
 */
public final class ImportanceLoss implements AuxiliaryLoss {

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "importance_loss";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<LayerRouting> layers) {
        NDArray total = null;
        for (LayerRouting l : layers) {
            NDArray importance =
                    RoutingStats.groupMean(l.decision().getScores(), l.decision().getGroupSize());
            NDArray term = RoutingStats.cvSquared(importance).mean();
            total = total == null ? term : total.add(term);
        }
        return total;
    }
}
