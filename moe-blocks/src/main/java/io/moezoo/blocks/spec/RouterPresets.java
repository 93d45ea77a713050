package io.moezoo.blocks.spec;

/** Router specs of real model families, with their config names. */
public final class RouterPresets {

    /** DeepSeek-V3's bias update speed γ of the auxiliary-loss-free balancing. */
    public static final float DEEPSEEK_V3_BIAS_UPDATE_RATE = 0.001f;

    private RouterPresets() {}

    /**
     * Mixtral: softmax over all experts, top-k, always renormalised.
     *
     * @param numExperts the number of experts E
     * @param topK the number of experts per token k
     * @return the spec
     */
    public static SoftmaxTopKSpec mixtral(int numExperts, int topK) {
        return SoftmaxTopKSpec.of(numExperts, topK).withNormalizeTopK(true);
    }

    /**
     * Qwen2-MoE, Qwen3-MoE and OLMoE: softmax, top-k, renormalised iff {@code norm_topk_prob}.
     *
     * @param numExperts the number of experts E
     * @param topK the number of experts per token k
     * @param normTopKProb the {@code norm_topk_prob} config value
     * @return the spec
     */
    public static SoftmaxTopKSpec qwenMoe(int numExperts, int topK, boolean normTopKProb) {
        return SoftmaxTopKSpec.of(numExperts, topK).withNormalizeTopK(normTopKProb);
    }

    /**
     * DeepSeek-V3 ({@code noaux_tc}): sigmoid scores, selection-only correction bias, groups scored
     * by the sum of their top-2, renormalised and scaled by the routed scaling factor; the bias
     * moves by {@value #DEEPSEEK_V3_BIAS_UPDATE_RATE} per step (the paper's γ), so the layer trains
     * with {@code AuxFreeBiasUpdate} as it is.
     *
     * @param numExperts {@code n_routed_experts}
     * @param topK {@code num_experts_per_tok}
     * @param numGroups {@code n_group}
     * @param topKGroups {@code topk_group}
     * @param routedScalingFactor {@code routed_scaling_factor}
     * @return the spec
     */
    public static GroupLimitedSpec deepSeekV3(
            int numExperts, int topK, int numGroups, int topKGroups, float routedScalingFactor) {
        return GroupLimitedSpec.of(numExperts, topK)
                .withScoring(ScoringFunction.SIGMOID)
                .withGroups(numGroups, topKGroups, GroupScore.TOP2_SUM)
                .withCorrectionBias(true, DEEPSEEK_V3_BIAS_UPDATE_RATE)
                .withNormalizeTopK(true)
                .withScalingFactor(routedScalingFactor);
    }

    /**
     * DeepSeek-V2 ({@code group_limited_greedy}): softmax scores, groups scored by their best
     * expert. DeepSeek-V2 applies {@code routed_scaling_factor} only when it does not renormalise,
     * so the factor is passed only on that branch.
     *
     * @param numExperts {@code n_routed_experts}
     * @param topK {@code num_experts_per_tok}
     * @param numGroups {@code n_group}
     * @param topKGroups {@code topk_group}
     * @param normTopKProb {@code norm_topk_prob}
     * @param routedScalingFactor {@code routed_scaling_factor}
     * @return the spec
     */
    public static GroupLimitedSpec deepSeekV2(
            int numExperts,
            int topK,
            int numGroups,
            int topKGroups,
            boolean normTopKProb,
            float routedScalingFactor) {
        boolean normalize = topK > 1 && normTopKProb;
        return GroupLimitedSpec.of(numExperts, topK)
                .withGroups(numGroups, topKGroups, GroupScore.MAX)
                .withNormalizeTopK(normalize)
                .withScalingFactor(normalize ? 1f : routedScalingFactor);
    }
}
