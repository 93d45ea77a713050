package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.Scalars;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import java.util.Arrays;
import java.util.Comparator;

/**
 * V-MoE routing ({@code NoisyTopExpertsPerItemRouter}): top-k with a per-group capacity.
 *
 * <p>In training the logits get Gaussian noise of std {@code noiseStd / E}; the gates are \(g =
 * \mathrm{softmax}(\text{noisy logits})\) and each token picks its k largest gates, weighted by the
 * raw gate values. Capacity per group is \(C = \lceil k \cdot T_g \cdot cf / E \rceil\), rounded up
 * to {@code capacityMultiple} (V-MoE: 4). All first choices of a group take buffer slots before any
 * second choice; with batch-prioritized routing the tokens of each slot are served in descending
 * order of their largest gate instead of sequence order.
 */
public final class CapacityTopKRouter extends Router {

    private final CapacityTopKSpec kind;

    /**
     * Creates the router.
     *
     * @param spec a the spec
     */
    public CapacityTopKRouter(CapacityTopKSpec spec) {
        super(spec);
        this.kind = spec;
    }

    /** {@inheritDoc} */
    @Override
    protected RoutingDecision select(
            ParameterStore ps, NDArray input, NDArray logits, int groupSize, boolean training) {
        int k = kind.topK();
        int e = kind.numExperts();
        float sigma = kind.noiseStd() / e;
        boolean noisy = training && sigma > 0;
        NDArray noisyLogits =
                noisy
                        ? logits.add(
                                logits.getManager()
                                        .randomNormal(
                                                0f, sigma, logits.getShape(), logits.getDataType()))
                        : logits;
        NDArray gates = noisyLogits.softmax(-1);
        NDList top = gates.topK(k, -1, true, true);
        int[] choices = toIntArray(top.get(1));
        int[] order = null;
        if (kind.batchPrioritized()) {
            order = priorityOrder(top.get(0).get(":, 0").toFloatArray(), groupSize);
        }
        int c = kind.expertCapacity(groupSize, k);
        int[] kept = ExpertCapacity.assign(choices, k, groupSize, c, e, order);
        NDArray load = null;
        if (noisy) {
            // P(e in top-k | resampled noise) = 1 - Φ((threshold - clean logit) / σ), threshold =
            // the k-th largest noisy logit of the token (V-MoE load loss).
            NDArray threshold = noisyLogits.topK(k, -1, true, true).get(0).get(":, -1:");
            load = NormalCdf.complement(threshold.sub(logits).div(Scalars.of(sigma, logits)));
        }
        return new RoutingDecision(
                logits, gates, finishWeights(top.get(0)), load, kept, choices, e, groupSize, c);
    }

    private static int[] priorityOrder(float[] maxGate, int groupSize) {
        Integer[] order = new Integer[maxGate.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int start = 0; start < order.length; start += groupSize) {
            // Stable sort: ties keep sequence order.
            Arrays.sort(
                    order,
                    start,
                    start + groupSize,
                    Comparator.comparingDouble((Integer t) -> -maxGate[t]));
        }
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}
