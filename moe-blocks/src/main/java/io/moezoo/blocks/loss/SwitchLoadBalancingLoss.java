package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import io.moezoo.blocks.Scalars;
import java.util.List;

/**
 * The Switch Transformer load-balancing loss, per routing group (a sequence):
 *
 * <p>\[ L = E \cdot \mathrm{mean}_g \sum_e f_{g,e} P_{g,e} \] with \(f_{g,e}\) the fraction of the
 * group's tokens whose top-1 choice is e (before capacity dropping, as in the paper) and
 * \(P_{g,e}\) the group's mean router probability; equivalently HF's \(E^2 \cdot
 * \mathrm{mean}_{g,e}(f P)\). Uniform routing gives 1. Layers are averaged.
 */
public final class SwitchLoadBalancingLoss implements AuxiliaryLoss {

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "switch_load_balancing_loss";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<LayerRouting> layers) {
        NDArray total = null;
        for (LayerRouting l : layers) {
            int choices = l.numChoices();
            int group = l.decision().getGroupSize();
            NDArray p = RoutingStats.groupMean(l.decision().getScores(), group);
            NDArray f =
                    RoutingStats.groupCounts(l.decision(), choices, 1, p.getManager())
                            .div((float) group);
            NDArray term = f.mul(p).sum(new int[] {1}).mean().mul(Scalars.of(choices, p));
            total = total == null ? term : total.add(term);
        }
        return total.div(Scalars.of(layers.size(), total));
    }
}
