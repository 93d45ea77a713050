package io.moezoo.hf;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.formats.MalformedCheckpointException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Qwen2-MoE and Qwen3-MoE: softmax top-k routers ({@code norm_topk_prob}) on the layers that {@code
 * decoder_sparse_step} and {@code mlp_only_layers} make sparse, dense SwiGLU elsewhere; Qwen2 adds
 * qkv biases and a sigmoid-gated shared expert, Qwen3 per-head q/k RMSNorm.
 */
final class QwenMoeModelType extends GqaModelType {

    private final boolean qwen2;

    QwenMoeModelType(String name) {
        super(name);
        this.qwen2 = name.equals("qwen2_moe");
    }

    @Override
    public String expertCountField() {
        return "num_experts";
    }

    @Override
    AttentionSpec.QkNorm qkNorm(ConfigFields c) {
        return qwen2 ? AttentionSpec.QkNorm.NONE : AttentionSpec.QkNorm.PER_HEAD;
    }

    @Override
    boolean qkvBias(ConfigFields c) throws MalformedCheckpointException {
        return qwen2 && c.bool("qkv_bias", true);
    }

    @Override
    void refuseAttentionOptions(ConfigFields c) throws MalformedCheckpointException {
        if (c.bool("use_sliding_window", false)) {
            throw c.error("use_sliding_window", "is true, which is not supported for " + name());
        }
        if (!qwen2 && c.bool("attention_bias", false)) {
            throw c.error(
                    "attention_bias",
                    "is true, which is not supported for " + name() + " (no o_proj bias)");
        }
    }

    @Override
    List<MoeLayerSpec> ffn(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        int experts = c.integer("num_experts", 0, ConfigLimits.MAX_EXPERTS);
        MoeLayerSpec layer = null;
        if (experts > 0) {
            layer =
                    MoeLayerSpec.of(
                            RouterPresets.qwenMoe(
                                    experts,
                                    c.integer("num_experts_per_tok", 1, experts),
                                    c.bool("norm_topk_prob", false)),
                            new SwiGluExpertSpec(
                                    experts,
                                    k.hidden(),
                                    c.integer(
                                            "moe_intermediate_size",
                                            1,
                                            ConfigLimits.MAX_INTERMEDIATE)));
            int shared =
                    qwen2
                            ? c.integer(
                                    "shared_expert_intermediate_size",
                                    0,
                                    0,
                                    ConfigLimits.MAX_INTERMEDIATE)
                            : 0;
            if (shared > 0) {
                layer = layer.withSharedExpert(new SharedExpertSpec(shared, true));
            }
        }
        int step = c.integer("decoder_sparse_step", 1, 1, ConfigLimits.MAX_LAYERS);
        Set<Integer> mlpOnly =
                new HashSet<>(
                        c.integers("mlp_only_layers", 0, k.layers() - 1, ConfigLimits.MAX_LAYERS));
        List<MoeLayerSpec> ffn = new ArrayList<>();
        for (int i = 0; i < k.layers(); i++) {
            boolean sparse = layer != null && !mlpOnly.contains(i) && (i + 1) % step == 0;
            ffn.add(sparse ? layer : null);
        }
        return ffn;
    }
}
