package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import io.moezoo.blocks.Scalars;
import java.util.List;

/**
 * Router z-loss (ST-MoE; Switch, OLMoE, MegaBlocks): \(\frac1T \sum_t (\log \sum_e e^{z_{t,e}})^2\)
 * over the router logits z, averaged over layers. It keeps logits small.
 */
public final class RouterZLoss implements AuxiliaryLoss {

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "router_z_loss";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<LayerRouting> layers) {
        NDArray total = null;
        for (LayerRouting l : layers) {
            NDArray z = l.decision().getLogits();
            NDArray max = z.max(new int[] {-1}, true).stopGradient();
            NDArray lse = z.sub(max).exp().sum(new int[] {-1}).log().add(max.squeeze(-1));
            NDArray term = lse.square().mean();
            total = total == null ? term : total.add(term);
        }
        return total.div(Scalars.of(layers.size(), total));
    }
}
