package io.moezoo.hf;

import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.Multipliers;
import java.util.List;

/**
 * {@code granitemoe} (IBM Granite 3.x MoE): Llama-style GQA attention whose scores are scaled by
 * {@code attention_multiplier} instead of 1/√head_dim, JetMoE's top-k-then-softmax router and fused
 * SwiGLU experts under {@code block_sparse_moe}, and three residual-stream multipliers: embeddings
 * × {@code embedding_multiplier}, each sub-layer's output × {@code residual_multiplier}, logits ÷
 * {@code logits_scaling}. Defaults are GraniteMoeConfig's (all 1.0, untied embeddings).
 */
final class GraniteMoeModelType extends GqaModelType {

    GraniteMoeModelType() {
        super("granitemoe");
    }

    @Override
    public String expertCountField() {
        return "num_local_experts";
    }

    @Override
    public ExpertNames expertNames() {
        return ExpertNames.GRANITE;
    }

    @Override
    double softmaxScale(ConfigFields c) throws MalformedCheckpointException {
        return c.number("attention_multiplier", 1.0, 1e-9, 1e9);
    }

    @Override
    void refuseAttentionOptions(ConfigFields c) throws MalformedCheckpointException {
        if (c.bool("attention_bias", false)) {
            throw c.error("attention_bias", "is not supported for granitemoe (only false)");
        }
    }

    @Override
    List<MoeLayerSpec> ffn(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        int experts = c.integer("num_local_experts", 1, ConfigLimits.MAX_EXPERTS);
        int topK = c.integer("num_experts_per_tok", 1, experts);
        MoeLayerSpec layer =
                MoeLayerSpec.of(
                        TopKSoftmaxSpec.of(experts, topK),
                        new SwiGluExpertSpec(
                                experts,
                                k.hidden(),
                                c.integer("intermediate_size", 1, ConfigLimits.MAX_INTERMEDIATE)));
        return everyLayer(layer, k.layers());
    }

    @Override
    public DecoderSpec map(ConfigFields c, HfConfigMapper.Common k)
            throws MalformedCheckpointException {
        DecoderSpec base = super.map(c, k);
        Multipliers multipliers =
                new Multipliers(
                        (float) c.number("embedding_multiplier", 1.0, 1e-9, 1e9),
                        (float) c.number("residual_multiplier", 1.0, 1e-9, 1e9),
                        (float) c.number("logits_scaling", 1.0, 1e-9, 1e9));
        return new DecoderSpec(
                base.modelType(),
                base.vocabSize(),
                base.hiddenSize(),
                base.attention(),
                base.ffn(),
                base.denseIntermediateSize(),
                base.rmsNormEps(),
                base.layerNormEps(),
                base.tieWordEmbeddings(),
                base.maxPositionEmbeddings(),
                multipliers);
    }
}
