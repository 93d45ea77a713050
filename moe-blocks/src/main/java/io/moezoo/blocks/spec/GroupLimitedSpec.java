package io.moezoo.blocks.spec;

/**
 * Group-limited routing (DeepSeek-V2 {@code group_limited_greedy}, DeepSeek-V3 {@code noaux_tc}):
 * the E experts form {@code numGroups} groups, only the {@code topKGroups} best groups (scored by
 * their best expert, or by the sum of their best two) are eligible, and the top k of those are
 * chosen. With {@code correctionBias} a per-expert bias b is added to the scores for selection
 * only, and moved by ±{@code biasUpdateRate} per step towards balance (DeepSeek-V3's
 * auxiliary-loss-free balancing).
 *
 * <p>JSON {@code "type": "group_limited"}; defaults: {@code numGroups 1, topKGroups 1, groupScore
 * MAX, scoring SOFTMAX, correctionBias false, biasUpdateRate 0, normalizeTopK false, scalingFactor
 * 1}.
 *
 * @param numExperts E
 * @param topK k
 * @param numGroups the expert groups ({@code n_group})
 * @param topKGroups the groups kept per token ({@code topk_group})
 * @param groupScore how a group is scored
 * @param scoring softmax or sigmoid scores
 * @param correctionBias whether a selection-only bias is learned
 * @param biasUpdateRate γ, the bias update speed
 * @param normalizeTopK whether the kept weights are renormalised
 * @param scalingFactor the factor on the final weights ({@code routed_scaling_factor})
 */
public record GroupLimitedSpec(
        int numExperts,
        int topK,
        int numGroups,
        int topKGroups,
        GroupScore groupScore,
        ScoringFunction scoring,
        boolean correctionBias,
        float biasUpdateRate,
        boolean normalizeTopK,
        float scalingFactor)
        implements RouterSpec {

    /** The defaults of the optional fields, as JSON. */
    public static final String DEFAULTS =
            "{\"numGroups\":1,\"topKGroups\":1,\"groupScore\":\"MAX\",\"scoring\":\"SOFTMAX\","
                    + "\"correctionBias\":false,\"biasUpdateRate\":0.0,\"normalizeTopK\":false,"
                    + "\"scalingFactor\":1.0}";

    /**
     * Validates every field.
     *
     * @param numExperts E
     * @param topK k
     * @param numGroups the expert groups ({@code n_group})
     * @param topKGroups the groups kept per token ({@code topk_group})
     * @param groupScore how a group is scored
     * @param scoring softmax or sigmoid scores
     * @param correctionBias whether a selection-only bias is learned
     * @param biasUpdateRate γ, the bias update speed
     * @param normalizeTopK whether the kept weights are renormalised
     * @param scalingFactor the factor on the final weights ({@code routed_scaling_factor})
     */
    public GroupLimitedSpec {
        String r = "group_limited";
        RouterChecks.experts(r, numExperts, topK, 0);
        RouterChecks.require(
                groupScore != null && scoring != null, r, "groupScore and scoring are required");
        RouterChecks.require(numGroups >= 1, r, "numGroups must be >= 1, got " + numGroups);
        RouterChecks.require(
                numExperts % numGroups == 0,
                r,
                "numExperts (" + numExperts + ") must divide into numGroups (" + numGroups + ")");
        RouterChecks.require(
                topKGroups >= 1 && topKGroups <= numGroups,
                r,
                "topKGroups must be in [1, numGroups], got " + topKGroups);
        RouterChecks.require(
                topK <= topKGroups * (numExperts / numGroups),
                r,
                "topK (" + topK + ") exceeds the experts in the kept groups");
        RouterChecks.require(
                groupScore != GroupScore.TOP2_SUM || numExperts / numGroups >= 2,
                r,
                "TOP2_SUM group score needs at least 2 experts per group");
        RouterChecks.require(
                biasUpdateRate >= 0 && (biasUpdateRate == 0 || correctionBias),
                r,
                "biasUpdateRate needs correctionBias and must be >= 0, got " + biasUpdateRate);
        RouterChecks.scaling(r, scalingFactor);
    }

    /**
     * Returns a spec with one group and the other defaults.
     *
     * @param numExperts E
     * @param topK k
     * @return the spec
     */
    public static GroupLimitedSpec of(int numExperts, int topK) {
        return new GroupLimitedSpec(
                numExperts,
                topK,
                1,
                1,
                GroupScore.MAX,
                ScoringFunction.SOFTMAX,
                false,
                0f,
                false,
                1f);
    }

    /**
     * Returns a copy with expert groups.
     *
     * @param groups the number of groups
     * @param keptGroups the groups kept per token
     * @param score how a group is scored
     * @return the copy
     */
    public GroupLimitedSpec withGroups(int groups, int keptGroups, GroupScore score) {
        return new GroupLimitedSpec(
                numExperts,
                topK,
                groups,
                keptGroups,
                score,
                scoring,
                correctionBias,
                biasUpdateRate,
                normalizeTopK,
                scalingFactor);
    }

    /**
     * Returns a copy with another scoring function.
     *
     * @param function softmax or sigmoid
     * @return the copy
     */
    public GroupLimitedSpec withScoring(ScoringFunction function) {
        return new GroupLimitedSpec(
                numExperts,
                topK,
                numGroups,
                topKGroups,
                groupScore,
                function,
                correctionBias,
                biasUpdateRate,
                normalizeTopK,
                scalingFactor);
    }

    /**
     * Returns a copy with (or without) a selection-only correction bias moved by γ per step.
     *
     * @param bias whether to learn the bias
     * @param gamma the bias update speed (0 keeps the bias fixed)
     * @return the copy
     */
    public GroupLimitedSpec withCorrectionBias(boolean bias, float gamma) {
        return new GroupLimitedSpec(
                numExperts,
                topK,
                numGroups,
                topKGroups,
                groupScore,
                scoring,
                bias,
                gamma,
                normalizeTopK,
                scalingFactor);
    }

    /**
     * Returns a copy that renormalises (or not) the kept weights.
     *
     * @param normalize whether to renormalise
     * @return the copy
     */
    public GroupLimitedSpec withNormalizeTopK(boolean normalize) {
        return new GroupLimitedSpec(
                numExperts,
                topK,
                numGroups,
                topKGroups,
                groupScore,
                scoring,
                correctionBias,
                biasUpdateRate,
                normalize,
                scalingFactor);
    }

    /**
     * Returns a copy with another scaling factor.
     *
     * @param factor the factor on the final weights
     * @return the copy
     */
    public GroupLimitedSpec withScalingFactor(float factor) {
        return new GroupLimitedSpec(
                numExperts,
                topK,
                numGroups,
                topKGroups,
                groupScore,
                scoring,
                correctionBias,
                biasUpdateRate,
                normalizeTopK,
                factor);
    }
}
