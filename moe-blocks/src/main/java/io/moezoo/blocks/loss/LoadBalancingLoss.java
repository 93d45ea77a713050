package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.moezoo.blocks.Scalars;
import java.util.List;

/**
 * The Hugging Face Mixtral / Qwen2-MoE / OLMoE / JetMoE load-balancing loss ({@code
 * load_balancing_loss_func}), with statistics pooled over all layers:
 *
 * <p>\[ L = E \sum_e f_e P_e,\quad f_e = \frac{\#\{(n, j): \text{choice}_j(n) = e\}}{N},\quad P_e =
 * \frac1N \sum_n p_{n,e} \] where n runs over the tokens of every layer (N = L·T). Because \(\sum_e
 * f_e = k\), perfectly uniform routing gives k, not 1, exactly as the reference. With a {@link
 * BalanceWindow#globalBatch global-batch window} the counts cover the whole window.
 */
public final class LoadBalancingLoss implements AuxiliaryLoss {

    /** {@inheritDoc} */
    @Override
    public String name() {
        return "load_balancing_loss";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<LayerRouting> layers) {
        int choices = layers.get(0).numChoices();
        long[] counts = new long[choices];
        long tokens = 0;
        NDList scores = new NDList();
        for (LayerRouting l : layers) {
            for (int e = 0; e < choices; e++) {
                counts[e] += l.windowCounts()[e];
            }
            tokens += l.windowTokens();
            scores.add(l.decision().getScores());
        }
        NDArray pooled = scores.size() == 1 ? scores.get(0) : NDArrays.concat(scores, 0);
        NDArray p = pooled.mean(new int[] {0});
        NDArray f = RoutingStats.constant(counts, p.getManager()).div((float) tokens);
        return f.mul(p).sum().mul(Scalars.of(choices, p));
    }
}
