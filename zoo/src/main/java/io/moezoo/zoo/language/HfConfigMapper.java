package io.moezoo.zoo.language;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.zoo.checkpoint.MalformedCheckpointException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps a Hugging Face {@code config.json} onto a {@link DecoderSpec}, using the config names of
 * each {@code model_type}. An unknown model type or a missing field is an error that says what is
 * supported or what is missing.
 */
public final class HfConfigMapper {

    /** The {@code model_type} values this mapper supports. */
    public static final List<String> SUPPORTED =
            List.of("mixtral", "qwen2_moe", "qwen3_moe", "olmoe");

    private HfConfigMapper() {}

    /**
     * Reads and maps a {@code config.json}.
     *
     * @param configJson the file
     * @return the decoder spec
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the JSON is broken, the model type unsupported or a
     *     field missing or invalid
     */
    public static DecoderSpec read(Path configJson)
            throws IOException, MalformedCheckpointException {
        String text = Files.readString(configJson, StandardCharsets.UTF_8);
        JsonObject config;
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) {
                throw new MalformedCheckpointException(configJson + ": not a JSON object");
            }
            config = root.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new MalformedCheckpointException(
                    configJson + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            return map(new Fields(configJson, config));
        } catch (IllegalArgumentException e) {
            throw new MalformedCheckpointException(configJson + ": " + e.getMessage(), e);
        }
    }

    private static DecoderSpec map(Fields c) throws MalformedCheckpointException {
        String type = c.string("model_type");
        if (!SUPPORTED.contains(type)) {
            throw c.error(
                    "model_type '"
                            + type
                            + "' is not supported; supported: "
                            + String.join(", ", SUPPORTED));
        }
        int hidden = c.integer("hidden_size");
        int heads = c.integer("num_attention_heads");
        int kvHeads = c.has("num_key_value_heads") ? c.integer("num_key_value_heads") : heads;
        int headDim = c.has("head_dim") ? c.integer("head_dim") : hidden / heads;
        int layers = c.integer("num_hidden_layers");
        float eps = (float) c.number("rms_norm_eps");
        double theta = c.has("rope_theta") ? c.number("rope_theta") : 10000.0;
        double linearFactor = ropeLinearFactor(c);
        int window = 0;
        if (type.equals("mixtral") && c.has("sliding_window")) {
            window = c.integer("sliding_window");
        }
        if (type.startsWith("qwen")
                && c.has("use_sliding_window")
                && c.bool("use_sliding_window")) {
            throw c.error("use_sliding_window=true is not supported for " + type);
        }
        if (type.equals("olmoe") && c.has("clip_qkv")) {
            throw c.error("clip_qkv is not supported for olmoe (only null)");
        }
        AttentionSpec.QkNorm qkNorm =
                switch (type) {
                    case "olmoe" -> AttentionSpec.QkNorm.FULL;
                    case "qwen3_moe" -> AttentionSpec.QkNorm.PER_HEAD;
                    default -> AttentionSpec.QkNorm.NONE;
                };
        boolean qkvBias =
                type.equals("qwen2_moe")
                        || (type.equals("qwen3_moe")
                                && c.has("attention_bias")
                                && c.bool("attention_bias"));
        AttentionSpec attention =
                new AttentionSpec(
                        hidden,
                        heads,
                        kvHeads,
                        headDim,
                        qkvBias,
                        qkNorm,
                        theta,
                        linearFactor,
                        window,
                        eps);
        List<MoeLayerSpec> ffn = new ArrayList<>();
        int dense = c.has("intermediate_size") ? c.integer("intermediate_size") : 0;
        switch (type) {
            case "mixtral":
                {
                    int experts =
                            c.has("num_local_experts")
                                    ? c.integer("num_local_experts")
                                    : c.integer("num_experts");
                    MoeLayerSpec layer =
                            MoeLayerSpec.of(
                                    RouterSpec.mixtral(experts, c.integer("num_experts_per_tok")),
                                    ExpertSpec.swiGlu(
                                            experts, hidden, c.integer("intermediate_size")));
                    for (int i = 0; i < layers; i++) {
                        ffn.add(layer);
                    }
                    break;
                }
            case "olmoe":
                {
                    int experts = c.integer("num_experts");
                    MoeLayerSpec layer =
                            MoeLayerSpec.of(
                                    RouterSpec.qwenMoe(
                                            experts,
                                            c.integer("num_experts_per_tok"),
                                            c.has("norm_topk_prob") && c.bool("norm_topk_prob")),
                                    ExpertSpec.swiGlu(
                                            experts, hidden, c.integer("intermediate_size")));
                    for (int i = 0; i < layers; i++) {
                        ffn.add(layer);
                    }
                    break;
                }
            default:
                {
                    // qwen2_moe and qwen3_moe
                    int experts = c.integer("num_experts");
                    MoeLayerSpec layer =
                            MoeLayerSpec.of(
                                    RouterSpec.qwenMoe(
                                            experts,
                                            c.integer("num_experts_per_tok"),
                                            c.has("norm_topk_prob") && c.bool("norm_topk_prob")),
                                    ExpertSpec.swiGlu(
                                            experts, hidden, c.integer("moe_intermediate_size")));
                    if (type.equals("qwen2_moe")
                            && c.has("shared_expert_intermediate_size")
                            && c.integer("shared_expert_intermediate_size") > 0) {
                        layer =
                                layer.withSharedExpert(
                                        new SharedExpertSpec(
                                                c.integer("shared_expert_intermediate_size"),
                                                true));
                    }
                    int step = c.has("decoder_sparse_step") ? c.integer("decoder_sparse_step") : 1;
                    Set<Integer> mlpOnly = new HashSet<>(c.integers("mlp_only_layers"));
                    for (int i = 0; i < layers; i++) {
                        boolean sparse = !mlpOnly.contains(i) && experts > 0 && (i + 1) % step == 0;
                        ffn.add(sparse ? layer : null);
                    }
                }
        }
        boolean tied = c.has("tie_word_embeddings") && c.bool("tie_word_embeddings");
        return new DecoderSpec(
                type, c.integer("vocab_size"), hidden, attention, ffn, dense, eps, tied);
    }

    private static double ropeLinearFactor(Fields c) throws MalformedCheckpointException {
        if (!c.has("rope_scaling")) {
            return 1.0;
        }
        JsonObject scaling = c.object("rope_scaling");
        JsonElement type =
                scaling.has("rope_type") ? scaling.get("rope_type") : scaling.get("type");
        String name = type == null ? "" : type.getAsString();
        if (name.equals("default")) {
            return 1.0;
        }
        if (!name.equals("linear") || !scaling.has("factor")) {
            throw c.error(
                    "rope_scaling type '"
                            + name
                            + "' is not supported; supported: default, linear");
        }
        return scaling.get("factor").getAsDouble();
    }

    /** Typed access to config fields with errors naming the field. */
    private record Fields(Path file, JsonObject json) {

        boolean has(String name) {
            return json.has(name) && !json.get(name).isJsonNull();
        }

        private JsonElement get(String name) throws MalformedCheckpointException {
            if (!has(name)) {
                throw error(
                        "missing field '"
                                + name
                                + "'"
                                + (json.has("model_type")
                                        ? " for model_type " + json.get("model_type")
                                        : ""));
            }
            return json.get(name);
        }

        String string(String name) throws MalformedCheckpointException {
            return get(name).getAsString();
        }

        int integer(String name) throws MalformedCheckpointException {
            try {
                return get(name).getAsInt();
            } catch (NumberFormatException
                    | UnsupportedOperationException
                    | IllegalStateException e) {
                throw error("field '" + name + "' is not an integer: " + json.get(name));
            }
        }

        double number(String name) throws MalformedCheckpointException {
            try {
                return get(name).getAsDouble();
            } catch (NumberFormatException
                    | UnsupportedOperationException
                    | IllegalStateException e) {
                throw error("field '" + name + "' is not a number: " + json.get(name));
            }
        }

        boolean bool(String name) throws MalformedCheckpointException {
            return get(name).getAsBoolean();
        }

        JsonObject object(String name) throws MalformedCheckpointException {
            JsonElement e = get(name);
            if (!e.isJsonObject()) {
                throw error("field '" + name + "' is not an object");
            }
            return e.getAsJsonObject();
        }

        List<Integer> integers(String name) throws MalformedCheckpointException {
            List<Integer> out = new ArrayList<>();
            if (has(name)) {
                for (JsonElement e : get(name).getAsJsonArray()) {
                    out.add(e.getAsInt());
                }
            }
            return out;
        }

        MalformedCheckpointException error(String message) {
            return new MalformedCheckpointException(file + ": " + message);
        }
    }
}
