package io.moezoo.recipes.language;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.models.language.DecoderSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Brown-corpus language-model recipe as data: the tokenizer cut ({@link TruncatedGpt2Bpe}), the
 * decoder's shape, and the optimisation (AdamW, linear warm-up then cosine decay to 1% of the peak,
 * over shuffled windows). The MoE model and its dense twin share everything but the FFN: the twin's
 * SwiGLU FFN is as wide as the k experts a token activates.
 *
 * @param merges GPT-2 merges kept (vocabulary 257 + merges)
 * @param hidden the model width D
 * @param layers decoder layers
 * @param headDim attention head width (heads = D / headDim)
 * @param experts experts per MoE layer
 * @param topK experts per token
 * @param expertWidth the SwiGLU width of one expert
 * @param sequence tokens per training and evaluation window (the context length)
 * @param batch windows per step
 * @param steps optimiser steps
 * @param learningRate the peak learning rate
 * @param warmupSteps linear warm-up steps
 * @param weightDecay AdamW's decoupled weight decay
 * @param balanceWeight the weight of the load-balancing loss (MoE only)
 */
public record LanguageRecipe(
        int merges,
        int hidden,
        int layers,
        int headDim,
        int experts,
        int topK,
        int expertWidth,
        int sequence,
        int batch,
        int steps,
        float learningRate,
        int warmupSteps,
        float weightDecay,
        float balanceWeight) {

    /**
     * Validates the recipe.
     *
     * @param merges see the record components
     * @param hidden see the record components
     * @param layers see the record components
     * @param headDim see the record components
     * @param experts see the record components
     * @param topK see the record components
     * @param expertWidth see the record components
     * @param sequence see the record components
     * @param batch see the record components
     * @param steps see the record components
     * @param learningRate see the record components
     * @param warmupSteps see the record components
     * @param weightDecay see the record components
     * @param balanceWeight see the record components
     * @throws IllegalArgumentException naming the first invalid field
     */
    public LanguageRecipe {
        require(merges >= 0 && merges <= TruncatedGpt2Bpe.GPT2_MERGES, "merges", merges);
        require(hidden > 0, "hidden", hidden);
        require(layers > 0, "layers", layers);
        require(headDim > 0 && hidden % headDim == 0, "headDim (must divide hidden)", headDim);
        require(experts > 1, "experts", experts);
        require(topK > 0 && topK <= experts, "topK", topK);
        require(expertWidth > 0, "expertWidth", expertWidth);
        require(sequence > 1, "sequence", sequence);
        require(batch > 0, "batch", batch);
        require(steps > 0, "steps", steps);
        require(learningRate > 0 && Float.isFinite(learningRate), "learningRate", learningRate);
        require(warmupSteps >= 0 && warmupSteps < steps, "warmupSteps", warmupSteps);
        require(weightDecay >= 0 && Float.isFinite(weightDecay), "weightDecay", weightDecay);
        require(
                balanceWeight >= 0 && Float.isFinite(balanceWeight),
                "balanceWeight",
                balanceWeight);
    }

    private static void require(boolean ok, String field, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid language recipe: " + field + " = " + value);
        }
    }

    /**
     * The vocabulary size of the recipe's tokenizer.
     *
     * @return 257 + merges
     */
    public int vocabulary() {
        return TruncatedGpt2Bpe.vocabularySize(merges);
    }

    /**
     * The decoder of the MoE model (every FFN an MoE layer, Mixtral router) or of its dense twin.
     *
     * @param moe whether to build the MoE model
     * @return the spec
     */
    public DecoderSpec spec(boolean moe) {
        int heads = hidden / headDim;
        AttentionSpec attention =
                new AttentionSpec(
                        hidden,
                        heads,
                        heads,
                        headDim,
                        false,
                        AttentionSpec.QkNorm.NONE,
                        10000.0,
                        1.0,
                        0,
                        1e-5f);
        MoeLayerSpec layer =
                moe
                        ? MoeLayerSpec.of(
                                RouterPresets.mixtral(experts, topK),
                                new SwiGluExpertSpec(experts, hidden, expertWidth))
                        : null;
        List<MoeLayerSpec> ffn = new ArrayList<>(Collections.nCopies(layers, layer));
        return new DecoderSpec(
                DecoderSpec.NATIVE_MODEL_TYPE,
                vocabulary(),
                hidden,
                attention,
                ffn,
                topK * expertWidth,
                1e-5f,
                1e-5f,
                true,
                sequence);
    }

    /**
     * Returns the recipe with fields changed, e.g. {@code hidden=192}; the result is validated
     * once, after every change, so {@code steps=2 warmupSteps=1} works in either order.
     *
     * @param assignments {@code FIELD=VALUE} with FIELD a record component
     * @return the new recipe
     * @throws IllegalArgumentException if a field is unknown or the resulting recipe invalid
     */
    public LanguageRecipe with(String... assignments) {
        JsonObject o = toJson();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("Expected FIELD=VALUE, got " + assignment);
            }
            String key = assignment.substring(0, eq);
            if (!o.has(key)) {
                throw new IllegalArgumentException("Unknown language recipe field " + key);
            }
            o.addProperty(key, Double.parseDouble(assignment.substring(eq + 1)));
        }
        return fromJson(o);
    }

    /**
     * The recipe as JSON (field names are the record components).
     *
     * @return the object
     */
    public JsonObject toJson() {
        return new Gson().toJsonTree(this).getAsJsonObject();
    }

    /**
     * Reads a recipe written by {@link #toJson()}.
     *
     * @param o the object
     * @return the recipe
     * @throws IllegalArgumentException if a field is missing or invalid
     */
    public static LanguageRecipe fromJson(JsonObject o) {
        try {
            return new LanguageRecipe(
                    o.get("merges").getAsInt(),
                    o.get("hidden").getAsInt(),
                    o.get("layers").getAsInt(),
                    o.get("headDim").getAsInt(),
                    o.get("experts").getAsInt(),
                    o.get("topK").getAsInt(),
                    o.get("expertWidth").getAsInt(),
                    o.get("sequence").getAsInt(),
                    o.get("batch").getAsInt(),
                    o.get("steps").getAsInt(),
                    o.get("learningRate").getAsFloat(),
                    o.get("warmupSteps").getAsInt(),
                    o.get("weightDecay").getAsFloat(),
                    o.get("balanceWeight").getAsFloat());
        } catch (NullPointerException | NumberFormatException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("Invalid language recipe: " + o, e);
        }
    }
}
