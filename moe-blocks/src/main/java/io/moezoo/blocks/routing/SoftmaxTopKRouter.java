package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;

/**
 * Token-choice routing of Mixtral, Qwen2/3-MoE, OLMoE and DeepSeekMoE (greedy).
 *
 * <p>\(p = \mathrm{softmax}(x W^T)\) over all E' outputs; each token takes its k largest \(p_i\);
 * the weights are \(p_i\), divided by \(\sum_{j \in topk} p_j\) when {@code normalizeTopK} (Mixtral
 * always, Qwen/OLMoE per {@code norm_topk_prob}), times the scaling factor. Null experts (AdaMoE)
 * take part in the choice but compute nothing.
 */
public final class SoftmaxTopKRouter extends Router {

    private final SoftmaxTopKSpec kind;

    /**
     * Creates the router.
     *
     * @param spec a the spec
     */
    public SoftmaxTopKRouter(SoftmaxTopKSpec spec) {
        super(spec);
        this.kind = spec;
    }

    /** {@inheritDoc} */
    @Override
    protected RoutingDecision select(
            ParameterStore ps, NDArray input, NDArray logits, int groupSize, boolean training) {
        NDArray probs = logits.softmax(-1);
        NDList top = probs.topK(kind.topK(), -1, true, true);
        int[] choices = toIntArray(top.get(1));
        NDArray weights;
        if (kind.normalizeTopK()) {
            // p_i / Σ_{j∈topk} p_j equals the softmax over the selected logits; computing it that
            // way avoids differentiating a division by a sum of probabilities.
            weights = logits.gather(top.get(1), 1).softmax(-1);
            weights = scaled(weights);
        } else {
            weights = finishWeights(top.get(0));
        }
        return new RoutingDecision(
                logits,
                probs,
                weights,
                null,
                dropNullExperts(choices),
                choices,
                kind.numExperts(),
                groupSize,
                -1);
    }
}
