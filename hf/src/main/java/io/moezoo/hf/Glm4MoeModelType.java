package io.moezoo.hf;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.formats.MalformedCheckpointException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code glm4_moe} (GLM-4.5, GLM-4.5-Air, GLM-4.6): GQA attention with q/k/v biases ({@code
 * attention_bias}), optional per-head q/k RMSNorm ({@code use_qk_norm}) and partial RoPE (the first
 * {@code head_dim · partial_rotary_factor} values of each head rotate, rotate-half pairs);
 * DeepSeek-V3's MoE: sigmoid scores, a selection-only correction bias, top-k renormalised iff
 * {@code norm_topk_prob} and always scaled by {@code routed_scaling_factor}, ungated shared
 * experts, and dense SwiGLU layers before {@code first_k_dense_replace}. Defaults are
 * Glm4MoeConfig's. The multi-token-prediction layer stored after the last layer is not read.
 */
final class Glm4MoeModelType extends GqaModelType {

    Glm4MoeModelType() {
        super("glm4_moe");
    }

    @Override
    public String expertCountField() {
        return "n_routed_experts";
    }

    @Override
    public boolean readsPartialRotary() {
        return true;
    }

    @Override
    boolean qkvBias(ConfigFields c) throws MalformedCheckpointException {
        return c.bool("attention_bias", false);
    }

    @Override
    AttentionSpec.QkNorm qkNorm(ConfigFields c) throws MalformedCheckpointException {
        return c.bool("use_qk_norm", false)
                ? AttentionSpec.QkNorm.PER_HEAD
                : AttentionSpec.QkNorm.NONE;
    }

    @Override
    int rotaryDim(ConfigFields c, int headDim) throws MalformedCheckpointException {
        double factor = c.positive("partial_rotary_factor", 0.5, 0, 1);
        int dim = (int) (headDim * factor);
        if (dim < 2 || dim % 2 != 0) {
            throw c.error(
                    "partial_rotary_factor",
                    "gives "
                            + dim
                            + " rotary values of a "
                            + headDim
                            + "-value head, but RoPE needs an even number >= 2");
        }
        return dim;
    }

    @Override
    List<MoeLayerSpec> ffn(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        int experts = c.integer("n_routed_experts", 1, ConfigLimits.MAX_EXPERTS);
        int topK = c.integer("num_experts_per_tok", 1, experts);
        int width = c.integer("moe_intermediate_size", 1, ConfigLimits.MAX_INTERMEDIATE);
        int groups = c.integer("n_group", 1, 1, experts);
        int keptGroups = c.integer("topk_group", 1, 1, groups);
        if (keptGroups != groups) {
            // GLM zeroes the scores of dropped groups where DeepSeek-V3 sets them to -inf; with
            // negative biased scores the two select differently, and no released GLM drops groups.
            throw c.error(
                    "topk_group",
                    "is "
                            + keptGroups
                            + " of n_group "
                            + groups
                            + "; only topk_group = n_group"
                            + " is supported for glm4_moe");
        }
        float scaling =
                (float) c.positive("routed_scaling_factor", 1.0, 0, ConfigLimits.MAX_FACTOR);
        MoeLayerSpec moe;
        try {
            moe =
                    MoeLayerSpec.of(
                            RouterPresets.deepSeekV3(experts, topK, groups, keptGroups, scaling)
                                    .withNormalizeTopK(c.bool("norm_topk_prob", true)),
                            new SwiGluExpertSpec(experts, k.hidden(), width));
        } catch (IllegalArgumentException e) {
            throw c.error("n_routed_experts", e.getMessage());
        }
        int shared = c.integer("n_shared_experts", 1, 0, ConfigLimits.MAX_EXPERTS);
        if ((long) shared * width > ConfigLimits.MAX_INTERMEDIATE) {
            throw c.error(
                    "n_shared_experts",
                    "x moe_intermediate_size = "
                            + (long) shared * width
                            + " exceeds "
                            + ConfigLimits.MAX_INTERMEDIATE);
        }
        if (shared > 0) {
            moe = moe.withSharedExpert(new SharedExpertSpec(shared * width, false));
        }
        int firstDense = c.integer("first_k_dense_replace", 1, 0, k.layers());
        List<MoeLayerSpec> ffn = new ArrayList<>();
        for (int i = 0; i < k.layers(); i++) {
            ffn.add(i >= firstDense ? moe : null);
        }
        return ffn;
    }
}
