package io.moezoo.hf;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.formats.MalformedCheckpointException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code gpt_oss} (gpt-oss-20b, gpt-oss-120b): GQA attention with q/k/v/o biases ({@code
 * attention_bias}), a learned sink logit per head, YaRN RoPE ({@code rope_scaling}, usually factor
 * 32 over 4096 original positions without truncation) and layers that alternate a {@code
 * sliding_window} of 128 keys with full attention ({@code layer_types}; by default layer i slides
 * iff i is even); every layer is MoE: a router with a bias, top-k on the raw logits then a softmax
 * over the k kept, and experts with biases and the clamped SwiGLU \(h = (\mathrm{clamp}(u, -\ell,
 * \ell) + 1) \cdot g' \sigma(\alpha g')\), \(g' = \min(g, \ell)\) ({@code swiglu_limit} ℓ = 7,
 * {@code swiglu_alpha} α = 1.702). The checkpoint layout (interleaved gate/up columns, MXFP4 pairs)
 * is {@link GptOssWeights}'.
 */
final class GptOssModelType extends GqaModelType {

    /** The {@code model_type} value. */
    static final String NAME = "gpt_oss";

    private static final String SLIDING = "sliding_attention";
    private static final String FULL = "full_attention";

    GptOssModelType() {
        super(NAME);
    }

    @Override
    public String expertCountField() {
        return "num_local_experts";
    }

    @Override
    double defaultTheta() {
        return 150000.0;
    }

    @Override
    boolean slidingWindow() {
        return true;
    }

    @Override
    boolean qkvBias(ConfigFields c) throws MalformedCheckpointException {
        return c.bool("attention_bias", true);
    }

    @Override
    double linearFactor(ConfigFields c) {
        return 1.0;
    }

    @Override
    AttentionSpec extras(AttentionSpec attention, ConfigFields c)
            throws MalformedCheckpointException {
        int positions = c.integer("max_position_embeddings", 1, ConfigLimits.MAX_POSITIONS);
        return attention.withGptOssExtras(
                attention.qkvBias(), true, RopeConfigs.yarn(c, NAME, positions));
    }

    @Override
    List<Integer> slidingWindows(ConfigFields c, HfConfigMapper.Common k, int window)
            throws MalformedCheckpointException {
        if (window == 0) {
            throw c.error("sliding_window", "must be a positive integer for gpt_oss");
        }
        List<String> types = c.strings("layer_types", List.of(SLIDING, FULL), k.layers());
        if (c.has("layer_types") && types.size() != k.layers()) {
            throw c.error(
                    "layer_types",
                    "has " + types.size() + " entries for " + k.layers() + " layers");
        }
        List<Integer> windows = new ArrayList<>();
        for (int i = 0; i < k.layers(); i++) {
            boolean sliding = types.isEmpty() ? i % 2 == 0 : types.get(i).equals(SLIDING);
            windows.add(sliding ? window : 0);
        }
        return windows;
    }

    @Override
    List<MoeLayerSpec> ffn(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        String count = c.has("num_local_experts") ? "num_local_experts" : "num_experts";
        int experts = c.integer(count, 1, ConfigLimits.MAX_EXPERTS);
        if (c.has("num_local_experts")
                && c.has("num_experts")
                && c.integer("num_experts", 1, ConfigLimits.MAX_EXPERTS) != experts) {
            throw c.error("num_experts", "disagrees with num_local_experts " + experts);
        }
        int topK =
                c.integer(
                        c.has("num_experts_per_tok") ? "num_experts_per_tok" : "experts_per_token",
                        1,
                        experts);
        int width = c.integer("intermediate_size", 1, ConfigLimits.MAX_INTERMEDIATE);
        float limit = (float) c.positive("swiglu_limit", 7.0, 0, ConfigLimits.MAX_FACTOR);
        float alpha = (float) c.positive("swiglu_alpha", 1.702, 0, ConfigLimits.MAX_FACTOR);
        MoeLayerSpec moe;
        try {
            moe =
                    MoeLayerSpec.of(
                            TopKSoftmaxSpec.of(experts, topK).withBias(true),
                            new ClampedSwiGluExpertSpec(experts, k.hidden(), width, limit, alpha));
        } catch (IllegalArgumentException e) {
            throw c.error(count, e.getMessage());
        }
        return everyLayer(moe, k.layers());
    }
}
