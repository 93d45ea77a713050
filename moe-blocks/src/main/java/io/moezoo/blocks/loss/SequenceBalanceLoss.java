package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * DeepSeek's sequence-wise balance loss ({@code seq_aux=True} of DeepSeekMoE/V2, and the
 * complementary sequence-wise loss of DeepSeek-V3), summed over layers:
 *
 * <p>\[ L = \sum_l \mathrm{mean}_b \sum_e \frac{c_{b,e}}{S k / E}\, P_{b,e} \] with \(c_{b,e}\) the
 * choices of expert e in sequence b (S tokens, k choices each) and \(P_{b,e}\) the sequence's mean
 * score. For DeepSeek-V3 the scores are first normalised per token, \(s'_{t,e} = s_{t,e} / \sum_j
 * s_{t,j}\). Uniform routing gives 1 per layer.
 */
public final class SequenceBalanceLoss implements AuxiliaryLoss {

    private final boolean normalizeScores;

    private SequenceBalanceLoss(boolean normalizeScores) {
        this.normalizeScores = normalizeScores;
    }

    /**
     * DeepSeekMoE / DeepSeek-V2 {@code seq_aux}: softmax scores as they are.
     *
     * @return the loss
     */
    public static SequenceBalanceLoss deepSeekV2() {
        return new SequenceBalanceLoss(false);
    }

    /**
     * DeepSeek-V3 complementary sequence-wise loss: sigmoid scores normalised per token.
     *
     * @return the loss
     */
    public static SequenceBalanceLoss deepSeekV3() {
        return new SequenceBalanceLoss(true);
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return normalizeScores ? "deepseek_v3_sequence_loss" : "deepseek_sequence_aux_loss";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray compute(List<LayerRouting> layers) {
        NDArray total = null;
        for (LayerRouting l : layers) {
            int choices = l.numChoices();
            int group = l.decision().getGroupSize();
            int k = l.decision().getNumSlots();
            NDArray scores = l.decision().getScores();
            if (normalizeScores) {
                scores = scores.div(scores.sum(new int[] {-1}, true));
            }
            NDArray p = RoutingStats.groupMean(scores, group);
            NDArray ce =
                    RoutingStats.groupCounts(l.decision(), choices, k, p.getManager())
                            .div((float) group * k / choices);
            NDArray term = ce.mul(p).sum(new int[] {1}).mean();
            total = total == null ? term : total.add(term);
        }
        return total;
    }
}
