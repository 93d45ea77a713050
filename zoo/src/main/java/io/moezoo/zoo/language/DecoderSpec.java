package io.moezoo.zoo.language;

import io.moezoo.blocks.attention.AttentionLayerSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import java.util.List;

/**
 * Describes an MoE decoder-only language model.
 *
 * @param modelType the Hugging Face {@code model_type} it came from
 * @param vocabSize V
 * @param hiddenSize H
 * @param attention the attention layers
 * @param ffn per layer: the MoE layer, or null for a dense SwiGLU FFN of {@code denseIntermediate}
 * @param denseIntermediateSize the width of dense FFN layers
 * @param rmsNormEps ε of the final RMSNorm
 * @param layerNormEps ε of the per-layer RMSNorms (equal to rmsNormEps except for JetMoE, whose
 *     layer norms keep the default 1e-6)
 * @param tieWordEmbeddings whether lm_head reuses the embedding matrix
 */
public record DecoderSpec(
        String modelType,
        int vocabSize,
        int hiddenSize,
        AttentionLayerSpec attention,
        List<MoeLayerSpec> ffn,
        int denseIntermediateSize,
        float rmsNormEps,
        float layerNormEps,
        boolean tieWordEmbeddings) {

    /**
     * Validates the spec.
     *
     * @param modelType the model type
     * @param vocabSize V
     * @param hiddenSize H
     * @param attention the attention spec
     * @param ffn per-layer FFN specs (null = dense)
     * @param denseIntermediateSize dense FFN width
     * @param rmsNormEps ε of the final norm
     * @param layerNormEps ε of the layer norms
     * @param tieWordEmbeddings tied embeddings
     */
    public DecoderSpec {
        if (vocabSize <= 0 || hiddenSize <= 0 || ffn == null || ffn.isEmpty()) {
            throw new IllegalArgumentException(
                    "Invalid decoder spec: vocab, hidden size and layers must be > 0");
        }
        if (attention.hiddenSize() != hiddenSize) {
            throw new IllegalArgumentException(
                    "Invalid decoder spec: attention hidden size differs from " + hiddenSize);
        }
        for (MoeLayerSpec layer : ffn) {
            if (layer == null && denseIntermediateSize <= 0) {
                throw new IllegalArgumentException(
                        "Invalid decoder spec: a dense layer needs intermediate_size > 0");
            }
            if (layer != null && layer.hiddenSize() != hiddenSize) {
                throw new IllegalArgumentException(
                        "Invalid decoder spec: MoE layer hidden size differs from " + hiddenSize);
            }
        }
        ffn = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(ffn));
    }

    /**
     * Returns L.
     *
     * @return the number of decoder layers
     */
    public int numLayers() {
        return ffn.size();
    }
}
