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

/** The JSON form of a {@link DecoderSpec} ({@code model.json}), written and read. */
final class DecoderSpecJson {

    /** Version 0.1 wrote the zoo artifact's name as the model type of the decoders it trained. */
    private static final java.util.Set<String> VERSION_01_ARTIFACT_NAMES =
            java.util.Set.of("brown-moe", "brown-dense");

    private DecoderSpecJson() {}

    static String write(DecoderSpec spec) {
        JsonObject root = new JsonObject();
        root.addProperty("modelType", spec.modelType());
        root.addProperty("vocabSize", spec.vocabSize());
        root.addProperty("hiddenSize", spec.hiddenSize());
        root.add("attention", SpecCodec.write(AttentionKinds.registry(), spec.attention()));
        JsonArray layers = new JsonArray();
        for (MoeLayerSpec layer : spec.ffn()) {
            if (layer == null) {
                layers.add(JsonNull.INSTANCE);
                continue;
            }
            layers.add(layer.toJsonObject());
        }
        root.add("ffn", layers);
        root.addProperty("denseIntermediateSize", spec.denseIntermediateSize());
        root.addProperty("rmsNormEps", spec.rmsNormEps());
        root.addProperty("layerNormEps", spec.layerNormEps());
        root.addProperty("tieWordEmbeddings", spec.tieWordEmbeddings());
        if (spec.maxPositionEmbeddings() != DecoderSpec.DEFAULT_MAX_POSITION_EMBEDDINGS) {
            root.addProperty("maxPositionEmbeddings", spec.maxPositionEmbeddings());
        }
        if (!spec.multipliers().isNone()) {
            root.add("multipliers", SpecCodec.writeRecord(spec.multipliers()));
        }
        if (spec.slidingWindows() != null) {
            JsonArray windows = new JsonArray();
            spec.slidingWindows().forEach(windows::add);
            root.add("slidingWindows", windows);
        }
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root);
    }

    static DecoderSpec read(String json) {
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
                    multipliers(root),
                    slidingWindows(root));
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

    private static List<Integer> slidingWindows(JsonObject root) {
        JsonElement e = root.get("slidingWindows");
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException(
                    "Decoder spec JSON: \"slidingWindows\" must be an array, got " + e);
        }
        List<Integer> windows = new java.util.ArrayList<>();
        for (JsonElement w : e.getAsJsonArray()) {
            windows.add(w.getAsInt());
        }
        return windows;
    }

    private static String modelType(String written) {
        return VERSION_01_ARTIFACT_NAMES.contains(written)
                ? DecoderSpec.NATIVE_MODEL_TYPE
                : written;
    }

    private static int maxPositions(JsonObject root) {
        JsonElement e = root.get("maxPositionEmbeddings");
        if (e == null || e.isJsonNull()) {
            return DecoderSpec.DEFAULT_MAX_POSITION_EMBEDDINGS;
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
