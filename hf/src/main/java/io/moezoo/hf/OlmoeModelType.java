package io.moezoo.hf;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.formats.MalformedCheckpointException;
import java.util.List;

/**
 * OLMoE: q/k RMSNorm over the full projections, no attention biases or {@code clip_qkv}, a softmax
 * top-k router ({@code norm_topk_prob}) in every layer.
 */
final class OlmoeModelType extends GqaModelType {

    OlmoeModelType() {
        super("olmoe");
    }

    @Override
    public String expertCountField() {
        return "num_experts";
    }

    @Override
    AttentionSpec.QkNorm qkNorm(ConfigFields c) {
        return AttentionSpec.QkNorm.FULL;
    }

    @Override
    void refuseAttentionOptions(ConfigFields c) throws MalformedCheckpointException {
        if (c.has("clip_qkv")) {
            throw c.error("clip_qkv", "is set, which is not supported for olmoe (only null)");
        }
        if (c.bool("attention_bias", false)) {
            throw c.error(
                    "attention_bias", "is true, which is not supported for olmoe (no o_proj bias)");
        }
    }

    @Override
    List<MoeLayerSpec> ffn(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        int experts = c.integer("num_experts", 1, ConfigLimits.MAX_EXPERTS);
        int topK = c.integer("num_experts_per_tok", 1, experts);
        MoeLayerSpec layer =
                MoeLayerSpec.of(
                        RouterPresets.qwenMoe(experts, topK, c.bool("norm_topk_prob", false)),
                        new SwiGluExpertSpec(
                                experts,
                                k.hidden(),
                                c.integer("intermediate_size", 1, ConfigLimits.MAX_INTERMEDIATE)));
        return everyLayer(layer, k.layers());
    }
}
