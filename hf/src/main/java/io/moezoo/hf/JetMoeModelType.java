package io.moezoo.hf;

import io.moezoo.blocks.attention.MoaSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * JetMoE: mixture of attention heads and an MoE MLP with top-k-then-softmax routers, fused {@code
 * input_linear [E, 2I, H]} experts and output biases. The per-layer RMSNorms use the reference's
 * default ε 1e-6; only the final norm reads {@code rms_norm_eps}.
 */
final class JetMoeModelType implements HfModelType {

    @Override
    public String name() {
        return "jetmoe";
    }

    @Override
    public String expertCountField() {
        return "num_local_experts";
    }

    @Override
    public String activationField() {
        return "activation_function";
    }

    @Override
    public ExpertNames expertNames() {
        return ExpertNames.JETMOE;
    }

    @Override
    public DecoderSpec map(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        int experts = c.integer("num_local_experts", 1, ConfigLimits.MAX_EXPERTS);
        int topK = c.integer("num_experts_per_tok", 1, experts);
        int kvHeads = c.integer("num_key_value_heads", 1, ConfigLimits.MAX_HEADS);
        int kvChannels = c.integer("kv_channels", 2, ConfigLimits.MAX_HIDDEN);
        if (kvChannels % 2 != 0) {
            throw c.error("kv_channels", "is " + kvChannels + ", but RoPE needs an even size");
        }
        if (c.has("num_attention_heads")
                && c.integer("num_attention_heads", 1, ConfigLimits.MAX_HEADS) != kvHeads * topK) {
            throw c.error(
                    "num_attention_heads",
                    "must be num_key_value_heads x num_experts_per_tok = " + kvHeads * topK);
        }
        HfConfigMapper.layerTypes(c, k, false);
        double theta = RopeConfigs.theta(c, 10000.0);
        if (RopeConfigs.linearFactor(c, "jetmoe") != 1.0) {
            throw c.error("rope_scaling", "is not supported for jetmoe (only null or default)");
        }
        MoaSpec attention = new MoaSpec(k.hidden(), experts, topK, kvHeads, kvChannels, theta);
        MoeLayerSpec mlp =
                MoeLayerSpec.of(
                                TopKSoftmaxSpec.of(experts, topK),
                                new SwiGluExpertSpec(
                                        experts,
                                        k.hidden(),
                                        c.integer(
                                                "intermediate_size",
                                                1,
                                                ConfigLimits.MAX_INTERMEDIATE)))
                        .withOutputBias(true);
        List<MoeLayerSpec> ffn = new ArrayList<>();
        for (int i = 0; i < k.layers(); i++) {
            ffn.add(mlp);
        }
        // JetMoeConfig defaults tie_word_embeddings to true.
        return new DecoderSpec(
                "jetmoe",
                k.vocab(),
                k.hidden(),
                attention,
                ffn,
                0,
                k.eps(),
                1e-6f,
                c.bool("tie_word_embeddings", true),
                k.maxPositions());
    }
}
