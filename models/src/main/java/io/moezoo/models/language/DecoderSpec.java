package io.moezoo.models.language;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.blocks.attention.AttentionKinds;
import io.moezoo.blocks.attention.AttentionLayerSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.SpecCodec;
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
        Multipliers multipliers) {

    /**
     * The context of the zoo's own language models (brown-moe, brown-dense: trained on 64-token
     * windows), and the {@code maxPositionEmbeddings} of a {@code model.json} that does not name
     * one; {@link #toJson()} leaves the field out when it has this value.
     */
    public static final int DEFAULT_MAX_POSITION_EMBEDDINGS = 64;

    /** The {@code modelType} of decoders trained by this project (Hugging Face weight names). */
    public static final String NATIVE_MODEL_TYPE = "moezoo";

    /** Version 0.1 wrote the zoo artifact's name as the model type of the decoders it trained. */
    private static final java.util.Set<String> VERSION_01_ARTIFACT_NAMES =
            java.util.Set.of("brown-moe", "brown-dense");

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
     * #DEFAULT_MAX_POSITION_EMBEDDINGS} (so the shipped files stay as they were).
     *
     * @return JSON text
     */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("modelType", modelType);
        root.addProperty("vocabSize", vocabSize);
        root.addProperty("hiddenSize", hiddenSize);
        root.add("attention", SpecCodec.write(AttentionKinds.registry(), attention));
        JsonArray layers = new JsonArray();
        for (MoeLayerSpec layer : ffn) {
            if (layer == null) {
                layers.add(JsonNull.INSTANCE);
                continue;
            }
            layers.add(layer.toJsonObject());
        }
        root.add("ffn", layers);
        root.addProperty("denseIntermediateSize", denseIntermediateSize);
        root.addProperty("rmsNormEps", rmsNormEps);
        root.addProperty("layerNormEps", layerNormEps);
        root.addProperty("tieWordEmbeddings", tieWordEmbeddings);
        if (maxPositionEmbeddings != DEFAULT_MAX_POSITION_EMBEDDINGS) {
            root.addProperty("maxPositionEmbeddings", maxPositionEmbeddings);
        }
        if (!multipliers.isNone()) {
            root.add("multipliers", SpecCodec.writeRecord(multipliers));
        }
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root);
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
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            JsonObject att = required(root, "attention").getAsJsonObject();
            if (!att.has("type") && att.has("kind")) {
                att = att.deepCopy();
                att.add("type", att.remove("kind"));
            }
            AttentionLayerSpec attention = SpecCodec.read(AttentionKinds.registry(), att);
            List<MoeLayerSpec> layers = new java.util.ArrayList<>();
            for (JsonElement e : required(root, "ffn").getAsJsonArray()) {
                if (e.isJsonNull()) {
                    layers.add(null);
                    continue;
                }
                layers.add(MoeLayerSpec.fromJsonObject(e.getAsJsonObject()));
            }
            return new DecoderSpec(
                    modelType(required(root, "modelType").getAsString()),
                    required(root, "vocabSize").getAsInt(),
                    required(root, "hiddenSize").getAsInt(),
                    attention,
                    layers,
                    required(root, "denseIntermediateSize").getAsInt(),
                    required(root, "rmsNormEps").getAsFloat(),
                    required(root, "layerNormEps").getAsFloat(),
                    required(root, "tieWordEmbeddings").getAsBoolean(),
                    maxPositions(root),
                    multipliers(root));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("Malformed decoder spec JSON: " + e.getMessage(), e);
        }
    }

    private static Multipliers multipliers(JsonObject root) {
        JsonElement e = root.get("multipliers");
        if (e == null || e.isJsonNull()) {
            return Multipliers.NONE;
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(
                    "Decoder spec JSON: \"multipliers\" must be an object, got " + e);
        }
        return SpecCodec.readRecord(
                Multipliers.class,
                e.getAsJsonObject(),
                SpecCodec.writeRecord(Multipliers.NONE),
                "decoder spec multipliers");
    }

    private static String modelType(String written) {
        return VERSION_01_ARTIFACT_NAMES.contains(written) ? NATIVE_MODEL_TYPE : written;
    }

    private static int maxPositions(JsonObject root) {
        JsonElement e = root.get("maxPositionEmbeddings");
        if (e == null || e.isJsonNull()) {
            return DEFAULT_MAX_POSITION_EMBEDDINGS;
        }
        try {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new NumberFormatException(e.toString());
            }
            int value = new java.math.BigDecimal(e.getAsString()).intValueExact();
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException | ArithmeticException x) {
            // reported below
        }
        throw new IllegalArgumentException(
                "Decoder spec JSON: \"maxPositionEmbeddings\" must be a positive integer, got "
                        + e);
    }

    private static JsonElement required(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("Decoder spec JSON lacks \"" + field + "\"");
        }
        return e;
    }
}
