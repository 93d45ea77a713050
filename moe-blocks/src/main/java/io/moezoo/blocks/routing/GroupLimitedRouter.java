package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.GroupScore;
import io.moezoo.blocks.spec.ScoringFunction;

/**
 * Group-limited routing of DeepSeek-V2 and DeepSeek-V3.
 *
 * <ol>
 *   <li>Scores \(s = \mathrm{softmax}(xW^T)\) (V2) or \(\sigma(xW^T)\) (V3).
 *   <li>Selection scores \(s' = s + b\), with b the correction bias ({@code
 *       e_score_correction_bias}); b is used for selection only.
 *   <li>The E experts form {@code n_group} groups; a group scores its best \(s'\) (V2) or the sum
 *       of its two best (V3); each token keeps its {@code topk_group} best groups and the experts
 *       of the other groups are masked at \(-\infty\).
 *   <li>The token takes the k best masked \(s'\); the weights are the unbiased \(s\) of those
 *       experts, renormalised if configured, times {@code routed_scaling_factor}.
 * </ol>
 *
 * <p>Auxiliary-loss-free balancing (DeepSeek-V3): training forwards count the tokens routed to each
 * expert, and {@link #updateBias()}, called after each optimizer step, moves \(b_e \leftarrow b_e +
 * \gamma\,\mathrm{sign}(\bar c - c_e)\).
 */
public final class GroupLimitedRouter extends Router {

    private final GroupLimitedSpec kind;

    private final Parameter bias;
    private final long[] pendingLoad;

    /**
     * Creates the router.
     *
     * @param spec a the spec
     */
    public GroupLimitedRouter(GroupLimitedSpec spec) {
        super(spec);
        this.kind = spec;
        pendingLoad = new long[kind.numExperts()];
        if (kind.correctionBias()) {
            bias =
                    addParameter(
                            Parameter.builder()
                                    .setName("e_score_correction_bias")
                                    .setType(Parameter.Type.OTHER)
                                    .optInitializer(new ConstantInitializer(0f))
                                    .optRequiresGrad(false)
                                    .build());
        } else {
            bias = null;
        }
    }

    /**
     * Returns the spec.
     *
     * @return the group-limited spec
     */
    @Override
    public GroupLimitedSpec getSpec() {
        return kind;
    }

    @Override
    protected void prepareExtra(long hiddenSize) {
        if (bias != null) {
            bias.setShape(new Shape(kind.numExperts()));
        }
    }

    /**
     * Returns the correction-bias parameter, or null when the spec has none.
     *
     * @return the bias parameter {@code [E]}
     */
    public Parameter getCorrectionBias() {
        return bias;
    }

    /** {@inheritDoc} */
    @Override
    protected RoutingDecision select(
            ParameterStore ps, NDArray input, NDArray logits, int groupSize, boolean training) {
        int e = kind.numExperts();
        int groups = kind.numGroups();
        int tokens = Math.toIntExact(logits.getShape().get(0));
        NDManager manager = logits.getManager();
        NDArray scores =
                kind.scoring() == ScoringFunction.SIGMOID
                        ? Activation.sigmoid(logits)
                        : logits.softmax(-1);
        NDArray choice = scores;
        if (bias != null) {
            NDArray b = ps.getValue(bias, logits.getDevice(), training);
            choice = scores.stopGradient().add(ParameterViews.as(b, scores));
        } else {
            choice = scores.stopGradient();
        }
        if (groups > 1 && kind.topKGroups() < groups) {
            NDArray grouped = choice.reshape(tokens, groups, e / groups);
            NDArray groupScores =
                    kind.groupScore() == GroupScore.TOP2_SUM
                            ? grouped.topK(2, -1, true, false).get(0).sum(new int[] {-1})
                            : grouped.max(new int[] {-1});
            NDArray keptGroups = groupScores.topK(kind.topKGroups(), -1, true, false).get(1);
            NDArray groupMask =
                    manager.zeros(new Shape(tokens, groups))
                            .scatter(keptGroups, manager.ones(keptGroups.getShape()), 1);
            NDArray expertMask =
                    groupMask.expandDims(2).repeat(2, e / groups).reshape(tokens, e).gt(0.5f);
            NDArray negInf = manager.full(choice.getShape(), Float.NEGATIVE_INFINITY);
            choice = NDArrays.where(expertMask, choice, negInf);
        }
        NDList top = choice.topK(kind.topK(), -1, true, true);
        NDArray index = top.get(1);
        int[] choices = toIntArray(index);
        if (training && kind.biasUpdateRate() > 0) {
            recordLoad(choices);
        }
        NDArray weights = finishWeights(scores.gather(index, 1));
        return new RoutingDecision(
                logits, scores, weights, null, choices, choices.clone(), e, groupSize, -1);
    }

    private synchronized void recordLoad(int[] choices) {
        for (int c : choices) {
            pendingLoad[c]++;
        }
    }

    /**
     * Applies the auxiliary-loss-free update \(b_e \leftarrow b_e + \gamma\,\mathrm{sign}(\bar c -
     * c_e)\) with the loads counted since the previous update, then resets the counts. Does nothing
     * if no token was routed in training since then.
     */
    public synchronized void updateBias() {
        if (bias == null || kind.biasUpdateRate() == 0) {
            throw new IllegalStateException(
                    "This router has no correction bias with an update rate (biasUpdateRate)");
        }
        long total = 0;
        for (long c : pendingLoad) {
            total += c;
        }
        if (total == 0) {
            return;
        }
        double mean = (double) total / pendingLoad.length;
        float[] delta = new float[pendingLoad.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = (float) (kind.biasUpdateRate() * Math.signum(mean - pendingLoad[i]));
        }
        java.util.Arrays.fill(pendingLoad, 0);
        NDArray b = bias.getArray();
        try (NDManager scope = b.getManager().newSubManager()) {
            b.addi(scope.create(delta).toType(b.getDataType(), false));
        }
    }
}
