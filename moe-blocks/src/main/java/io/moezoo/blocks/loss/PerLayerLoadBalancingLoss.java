package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import io.moezoo.blocks.Scalars;
import java.util.List;

/**
 * MegaBlocks' load-balancing loss: computed per layer, normalised by k, averaged over layers.
 *
 * <p>\[ L = \frac1L \sum_l \frac{E}{T k} \sum_e c_{l,e} P_{l,e} \] with \(c_{l,e}\) the choices of
 * expert e in layer l (T·k of them in all) and \(P_{l,e}\) the mean router probability. Uniform
 * routing gives 1. With a {@link BalanceWindow#globalBatch global-batch window} the counts (and
 * T·k) cover the window.
 */
public final class PerLayerLoadBalancingLoss implements AuxiliaryLoss {

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "per_layer_load_balancing_loss";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<LayerRouting> layers) {
        NDArray total = null;
        for (LayerRouting l : layers) {
            long assignments = 0;
            for (long c : l.windowCounts()) {
                assignments += c;
            }
            NDArray p = l.decision().getScores().mean(new int[] {0});
            NDArray f =
                    RoutingStats.constant(l.windowCounts(), p.getManager())
                            .div((float) assignments);
            NDArray term = f.mul(p).sum().mul(Scalars.of(l.numChoices(), p));
            total = total == null ? term : total.add(term);
        }
        return total.div(Scalars.of(layers.size(), total));
    }
}
