package io.moezoo.models.language;

import io.moezoo.blocks.attention.AttentionLayerSpec;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import java.util.List;

/**
 * Describes an MoE decoder-only language model.
 *
 * @param modelType the checkpoint layout its weights follow: the Hugging Face {@code model_type} it
 *     was imported from, or {@link #NATIVE_MODEL_TYPE} for a decoder trained by this project (the
 *     zoo artifact's own name lives in the artifact, not here)
 * @param vocabSize V
 * @param hiddenSize H
 * @param attention the attention layers
 * @param ffn per layer: the MoE layer, or null for a dense SwiGLU FFN of {@code denseIntermediate}
 * @param denseIntermediateSize the width of dense FFN layers
 * @param rmsNormEps ε of the final RMSNorm
 * @param layerNormEps ε of the per-layer RMSNorms (equal to rmsNormEps except for JetMoE, whose
 *     layer norms keep the default 1e-6)
 * @param tieWordEmbeddings whether lm_head reuses the embedding matrix
 * @param maxPositionEmbeddings the context: the most positions the model was made for ({@code
 *     max_position_embeddings}), &gt; 0
 * @param multipliers the residual-stream multipliers ({@link Multipliers#NONE} for all but
 *     GraniteMoE)
 * @param slidingWindows per layer, the attention window in positions (0 for full attention), for
 *     decoders whose layers differ in their window only (gpt-oss {@code layer_types}); null when
 *     every layer attends as {@code attention} says. Only with grouped-query attention.
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
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        Multipliers multipliers,
        List<Integer> slidingWindows) {

    /**
     * The context of the zoo's own language models (brown-moe, brown-dense: trained on 64-token
     * windows), and the {@code maxPositionEmbeddings} of a {@code model.json} that does not name
     * one; {@link #toJson()} leaves the field out when it has this value.
     */
    public static final int DEFAULT_MAX_POSITION_EMBEDDINGS = 64;

    /** The {@code modelType} of decoders trained by this project (Hugging Face weight names). */
    public static final String NATIVE_MODEL_TYPE = "moezoo";

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
     * @param maxPositionEmbeddings the context, &gt; 0
     * @param multipliers the residual-stream multipliers
     * @param slidingWindows per-layer windows, or null for the attention spec's
     */
    public DecoderSpec {
        if (multipliers == null) {
            throw new IllegalArgumentException("Invalid decoder spec: multipliers are required");
        }
        if (vocabSize <= 0 || hiddenSize <= 0 || ffn == null || ffn.isEmpty()) {
            throw new IllegalArgumentException(
                    "Invalid decoder spec: vocab, hidden size and layers must be > 0");
        }
        if (maxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException(
                    "Invalid decoder spec: maxPositionEmbeddings must be > 0, got "
                            + maxPositionEmbeddings);
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
        if (slidingWindows != null) {
            if (!(attention instanceof AttentionSpec)) {
                throw new IllegalArgumentException(
                        "Invalid decoder spec: per-layer sliding windows need grouped-query"
                                + " attention, got "
                                + attention.kind());
            }
            if (slidingWindows.size() != ffn.size()) {
                throw new IllegalArgumentException(
                        "Invalid decoder spec: "
                                + slidingWindows.size()
                                + " sliding windows for "
                                + ffn.size()
                                + " layers");
            }
            for (Integer window : slidingWindows) {
                if (window == null || window < 0) {
                    throw new IllegalArgumentException(
                            "Invalid decoder spec: sliding windows must be >= 0, got "
                                    + slidingWindows);
                }
            }
            slidingWindows = List.copyOf(slidingWindows);
        }
    }

    /**
     * Creates a spec whose layers all attend as the attention spec says.
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
     * @param maxPositionEmbeddings the context, &gt; 0
     * @param multipliers the residual-stream multipliers
     */
    public DecoderSpec(
            String modelType,
            int vocabSize,
            int hiddenSize,
            AttentionLayerSpec attention,
            List<MoeLayerSpec> ffn,
            int denseIntermediateSize,
            float rmsNormEps,
            float layerNormEps,
            boolean tieWordEmbeddings,
            int maxPositionEmbeddings,
            Multipliers multipliers) {
        this(
                modelType,
                vocabSize,
                hiddenSize,
                attention,
                ffn,
                denseIntermediateSize,
                rmsNormEps,
                layerNormEps,
                tieWordEmbeddings,
                maxPositionEmbeddings,
                multipliers,
                null);
    }

    /**
     * Returns a copy with per-layer sliding windows.
     *
     * @param windows per layer, the window in positions (0 for full attention), or null for the
     *     attention spec's
     * @return the copy, validated
     */
    public DecoderSpec withSlidingWindows(List<Integer> windows) {
        return new DecoderSpec(
                modelType,
                vocabSize,
                hiddenSize,
                attention,
                ffn,
                denseIntermediateSize,
                rmsNormEps,
                layerNormEps,
                tieWordEmbeddings,
                maxPositionEmbeddings,
                multipliers,
                windows);
    }

    /**
     * Returns the attention of layer i: {@code attention}, with the layer's own window when {@code
     * slidingWindows} is set.
     *
     * @param index the layer index
     * @return the layer's attention spec
     */
    public AttentionLayerSpec attention(int index) {
        if (slidingWindows == null) {
            return attention;
        }
        return ((AttentionSpec) attention).withSlidingWindow(slidingWindows.get(index));
    }

    /**
     * Creates a spec without multipliers.
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
     * @param maxPositionEmbeddings the context, &gt; 0
     */
    public DecoderSpec(
            String modelType,
            int vocabSize,
            int hiddenSize,
            AttentionLayerSpec attention,
            List<MoeLayerSpec> ffn,
            int denseIntermediateSize,
            float rmsNormEps,
            float layerNormEps,
            boolean tieWordEmbeddings,
            int maxPositionEmbeddings) {
        this(
                modelType,
                vocabSize,
                hiddenSize,
                attention,
                ffn,
                denseIntermediateSize,
                rmsNormEps,
                layerNormEps,
                tieWordEmbeddings,
                maxPositionEmbeddings,
                Multipliers.NONE);
    }

    /**
     * Creates a spec with the context of the zoo's own models, {@value
     * #DEFAULT_MAX_POSITION_EMBEDDINGS} positions.
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
    public DecoderSpec(
            String modelType,
            int vocabSize,
            int hiddenSize,
            AttentionLayerSpec attention,
            List<MoeLayerSpec> ffn,
            int denseIntermediateSize,
            float rmsNormEps,
            float layerNormEps,
            boolean tieWordEmbeddings) {
        this(
                modelType,
                vocabSize,
                hiddenSize,
                attention,
                ffn,
                denseIntermediateSize,
                rmsNormEps,
                layerNormEps,
                tieWordEmbeddings,
                DEFAULT_MAX_POSITION_EMBEDDINGS);
    }

    /**
     * Returns L.
     *
     * @return the number of decoder layers
     */
    public int numLayers() {
        return ffn.size();
    }

    /**
     * Returns the JSON form of this spec ({@code model.json} of the zoo's language models):
     * attention as a tagged object ({@code "type": "gqa" | "mla" | "moa"}, registered in {@code
     * AttentionKinds}; version 0.1 wrote the tag as {@code "kind"}), each layer's FFN as {@code
     * null} (dense) or {@code {router, experts, shared, dispatch, outputBias}} in the JSON forms of
     * {@code RouterSpec} and {@code ExpertSpec}; {@code multipliers} only when they are not all 1;
     * {@code maxPositionEmbeddings} only when it differs from {@link
     * #DEFAULT_MAX_POSITION_EMBEDDINGS} (so the shipped files stay as they were); {@code
     * slidingWindows} only when set.
     *
     * @return JSON text
     */
    public String toJson() {
        return DecoderSpecJson.write(this);
    }

    /**
     * Parses and validates a spec written by {@link #toJson()}; an absent {@code
     * maxPositionEmbeddings} is {@link #DEFAULT_MAX_POSITION_EMBEDDINGS}, a present one must be a
     * positive JSON integer.
     *
     * @param json the JSON text
     * @return the spec
     * @throws IllegalArgumentException naming the field that is missing or invalid
     */
    public static DecoderSpec fromJson(String json) {
        return DecoderSpecJson.read(json);
    }
}
