package io.moezoo.hf;

import io.moezoo.blocks.attention.MlaSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.GroupScore;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.ScoringFunction;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps DeepSeek-V2/V3 configs: multi-head latent attention (standard or YaRN RoPE, interleaved
 * pairs), dense first layers, group-limited routers and merged shared experts.
 */
final class DeepSeekConfigs {

    /** The routing methods ({@code topk_method}) implemented. */
    static final List<String> TOPK_METHODS = List.of("greedy", "group_limited_greedy", "noaux_tc");

    /** The scoring functions ({@code scoring_func}) implemented. */
    static final List<String> SCORING = List.of("softmax", "sigmoid");

    private DeepSeekConfigs() {}

    static DecoderSpec map(ConfigFields c, String type, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        int heads = c.integer("num_attention_heads", 1, ConfigLimits.MAX_HEADS);
        if (c.has("num_key_value_heads")
                && c.integer("num_key_value_heads", 1, ConfigLimits.MAX_HEADS) != heads) {
            throw c.error(
                    "num_key_value_heads",
                    "must equal num_attention_heads "
                            + heads
                            + " (latent attention has one key/value head per query head)");
        }
        int nope = c.integer("qk_nope_head_dim", 0, ConfigLimits.MAX_HIDDEN);
        int ropeDim = c.integer("qk_rope_head_dim", 2, ConfigLimits.MAX_HIDDEN);
        if (ropeDim % 2 != 0) {
            throw c.error("qk_rope_head_dim", "is " + ropeDim + ", but RoPE needs an even size");
        }
        if (c.bool("attention_bias", false)) {
            throw c.error("attention_bias", "is true, which is not supported for " + type);
        }
        HfConfigMapper.layerTypes(c, k, false);
        boolean interleave = c.bool("rope_interleave", true);
        double theta = RopeConfigs.theta(c, 10000.0);
        RopeConfigs.MlaRope rope =
                RopeConfigs.deepSeek(
                        c, type, ropeDim, nope + ropeDim, theta, interleave, k.maxPositions());
        MlaSpec attention =
                new MlaSpec(
                        k.hidden(),
                        heads,
                        c.integer("q_lora_rank", 0, 1, ConfigLimits.MAX_HIDDEN),
                        c.integer("kv_lora_rank", 1, ConfigLimits.MAX_HIDDEN),
                        nope,
                        ropeDim,
                        c.integer("v_head_dim", 1, ConfigLimits.MAX_HIDDEN),
                        k.eps(),
                        rope.rope(),
                        rope.softmaxScale());
        int experts = c.integer("n_routed_experts", 1, ConfigLimits.MAX_EXPERTS);
        int moeWidth = c.integer("moe_intermediate_size", 1, ConfigLimits.MAX_INTERMEDIATE);
        MoeLayerSpec moe =
                MoeLayerSpec.of(
                        router(c, type, experts),
                        new SwiGluExpertSpec(experts, k.hidden(), moeWidth));
        int shared = c.integer("n_shared_experts", 0, 0, ConfigLimits.MAX_EXPERTS);
        if ((long) shared * moeWidth > ConfigLimits.MAX_INTERMEDIATE) {
            throw c.error(
                    "n_shared_experts",
                    "x moe_intermediate_size = "
                            + (long) shared * moeWidth
                            + " exceeds "
                            + ConfigLimits.MAX_INTERMEDIATE);
        }
        if (shared > 0) {
            moe = moe.withSharedExpert(new SharedExpertSpec(shared * moeWidth, false));
        }
        int firstDense = c.integer("first_k_dense_replace", 0, 0, k.layers());
        int frequency = c.integer("moe_layer_freq", 1, 1, ConfigLimits.MAX_LAYERS);
        List<MoeLayerSpec> ffn = new ArrayList<>();
        for (int i = 0; i < k.layers(); i++) {
            ffn.add(i >= firstDense && i % frequency == 0 ? moe : null);
        }
        int dense =
                ffn.contains(null)
                        ? c.integer("intermediate_size", 1, ConfigLimits.MAX_INTERMEDIATE)
                        : c.integer("intermediate_size", 0, 1, ConfigLimits.MAX_INTERMEDIATE);
        return new DecoderSpec(
                type,
                k.vocab(),
                k.hidden(),
                attention,
                ffn,
                dense,
                k.eps(),
                k.eps(),
                c.bool("tie_word_embeddings", false),
                k.maxPositions());
    }

    private static RouterSpec router(ConfigFields c, String type, int experts)
            throws MalformedCheckpointException {
        int topK = c.integer("num_experts_per_tok", 1, experts);
        boolean norm = c.bool("norm_topk_prob", false);
        float routedScale =
                (float) c.positive("routed_scaling_factor", 1.0, 0, ConfigLimits.MAX_FACTOR);
        boolean v3 = type.equals("deepseek_v3");
        String method = c.choice("topk_method", v3 ? "noaux_tc" : "greedy", TOPK_METHODS);
        String scoring = c.choice("scoring_func", v3 ? "sigmoid" : "softmax", SCORING);
        int groups = c.integer("n_group", 1, 1, experts);
        int keptGroups = c.integer("topk_group", 1, 1, groups);
        if (!method.equals("greedy")) {
            if (experts % groups != 0) {
                throw c.error(
                        "n_group",
                        "is " + groups + ", which does not divide n_routed_experts " + experts);
            }
            if (topK > keptGroups * (experts / groups)) {
                throw c.error(
                        "num_experts_per_tok",
                        "is "
                                + topK
                                + ", more than the "
                                + keptGroups * (experts / groups)
                                + " experts of the topk_group kept groups");
            }
        }
        switch (method) {
            case "noaux_tc":
                requireScoring(c, scoring, method, "sigmoid");
                if (experts / groups < 2) {
                    throw c.error(
                            "n_group",
                            "leaves fewer than 2 experts per group, which noaux_tc's top-2 group"
                                    + " score needs");
                }
                return GroupLimitedSpec.of(experts, topK)
                        .withScoring(ScoringFunction.SIGMOID)
                        .withGroups(groups, keptGroups, GroupScore.TOP2_SUM)
                        .withNormalizeTopK(norm)
                        .withScalingFactor(routedScale)
                        .withCorrectionBias(true, 0f);
            case "group_limited_greedy":
                requireScoring(c, scoring, method, "softmax");
                return RouterPresets.deepSeekV2(
                        experts, topK, groups, keptGroups, norm, routedScale);
            default:
                {
                    requireScoring(c, scoring, method, "softmax");
                    boolean normalize = topK > 1 && norm;
                    return SoftmaxTopKSpec.of(experts, topK)
                            .withNormalizeTopK(normalize)
                            .withScalingFactor(normalize ? 1f : routedScale);
                }
        }
    }

    private static void requireScoring(ConfigFields c, String scoring, String method, String needed)
            throws MalformedCheckpointException {
        if (!scoring.equals(needed)) {
            throw c.error(
                    "scoring_func",
                    "is " + scoring + ", but topk_method " + method + " needs " + needed);
        }
    }
}
