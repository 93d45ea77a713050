package io.moezoo.zoo.language;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.MlaSpec;
import io.moezoo.blocks.attention.MoaSpec;
import io.moezoo.blocks.attention.RotaryEmbedding;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.GroupScore;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.RouterType;
import io.moezoo.blocks.spec.ScoringFunction;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.zoo.checkpoint.Checkpoint;
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
            List.of(
                    "mixtral",
                    "qwen2_moe",
                    "qwen3_moe",
                    "olmoe",
                    "deepseek_v2",
                    "deepseek_v3",
                    "jetmoe");

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

    /**
     * Reads the FP8 block size from {@code quantization_config} (DeepSeek-V3 style: {@code
     * quant_method "fp8"}, {@code fmt "e4m3"}, {@code weight_block_size [rows, cols]}).
     *
     * @param configJson the config file
     * @return {rows, cols}, or null when the checkpoint is not quantised
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the quantisation is not FP8 e4m3 with a valid block
     *     size
     */
    public static int[] fp8BlockSize(Path configJson)
            throws IOException, MalformedCheckpointException {
        JsonObject config;
        try {
            config =
                    JsonParser.parseString(Files.readString(configJson, StandardCharsets.UTF_8))
                            .getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new MalformedCheckpointException(
                    configJson + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonElement q = config.get("quantization_config");
        if (q == null || q.isJsonNull()) {
            return null;
        }
        String where = configJson + ": quantization_config ";
        try {
            JsonObject o = q.getAsJsonObject();
            String method = o.has("quant_method") ? o.get("quant_method").getAsString() : "";
            String fmt = o.has("fmt") ? o.get("fmt").getAsString() : "e4m3";
            if (!method.equals("fp8") || !fmt.equals("e4m3")) {
                throw new MalformedCheckpointException(
                        where
                                + "quant_method '"
                                + method
                                + "' fmt '"
                                + fmt
                                + "' is not supported (supported: fp8 e4m3 with"
                                + " weight_block_size)");
            }
            if (!o.has("weight_block_size")) {
                return new int[] {Checkpoint.DEFAULT_FP8_BLOCK, Checkpoint.DEFAULT_FP8_BLOCK};
            }
            var size = o.getAsJsonArray("weight_block_size");
            if (size.size() != 2 || size.get(0).getAsInt() <= 0 || size.get(1).getAsInt() <= 0) {
                throw new MalformedCheckpointException(
                        where + "weight_block_size must be two positive integers, got " + size);
            }
            return new int[] {size.get(0).getAsInt(), size.get(1).getAsInt()};
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new MalformedCheckpointException(where + "is malformed: " + e.getMessage(), e);
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
        if (type.startsWith("deepseek")) {
            return deepSeek(c, type);
        }
        if (type.equals("jetmoe")) {
            return jetMoe(c);
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
                type, c.integer("vocab_size"), hidden, attention, ffn, dense, eps, eps, tied);
    }

    /** DeepSeek-V2/V3: MLA attention, dense first layers, group-limited routers, shared experts. */
    private static DecoderSpec deepSeek(Fields c, String type) throws MalformedCheckpointException {
        int hidden = c.integer("hidden_size");
        int heads = c.integer("num_attention_heads");
        float eps = (float) c.number("rms_norm_eps");
        double theta = c.has("rope_theta") ? c.number("rope_theta") : 10000.0;
        int nope = c.integer("qk_nope_head_dim");
        int ropeDim = c.integer("qk_rope_head_dim");
        if (c.has("attention_bias") && c.bool("attention_bias")) {
            throw c.error("attention_bias=true is not supported for " + type);
        }
        boolean interleave = !c.has("rope_interleave") || c.bool("rope_interleave");
        RotaryEmbedding rope;
        double scale = Math.pow(nope + ropeDim, -0.5);
        if (c.has("rope_scaling")) {
            JsonObject s = c.object("rope_scaling");
            JsonElement kind = s.has("rope_type") ? s.get("rope_type") : s.get("type");
            String name = kind == null ? "" : kind.getAsString();
            if (!name.equals("yarn")) {
                throw c.error(
                        "rope_scaling type '"
                                + name
                                + "' is not supported for "
                                + type
                                + "; supported: yarn");
            }
            double factor = number(c, s, "factor", Double.NaN);
            double mscale = number(c, s, "mscale", 0);
            double mscaleAllDim = number(c, s, "mscale_all_dim", 0);
            double original =
                    number(
                            c,
                            s,
                            "original_max_position_embeddings",
                            c.number("max_position_embeddings"));
            rope =
                    RotaryEmbedding.yarn(
                            ropeDim,
                            theta,
                            factor,
                            original,
                            number(c, s, "beta_fast", 32),
                            number(c, s, "beta_slow", 1),
                            mscale == 0 ? 1 : mscale,
                            mscale == 0 ? 0 : mscaleAllDim,
                            interleave);
            if (mscaleAllDim != 0) {
                double m = RotaryEmbedding.yarnMscale(factor, mscaleAllDim);
                scale *= m * m;
            }
        } else {
            rope = RotaryEmbedding.standard(ropeDim, theta, 1.0).withInterleaved(interleave);
        }
        int qLora = c.has("q_lora_rank") ? c.integer("q_lora_rank") : 0;
        MlaSpec attention =
                new MlaSpec(
                        hidden,
                        heads,
                        qLora,
                        c.integer("kv_lora_rank"),
                        nope,
                        ropeDim,
                        c.integer("v_head_dim"),
                        eps,
                        rope,
                        scale);
        int experts = c.integer("n_routed_experts");
        int k = c.integer("num_experts_per_tok");
        boolean norm = c.has("norm_topk_prob") && c.bool("norm_topk_prob");
        float routedScale =
                c.has("routed_scaling_factor") ? (float) c.number("routed_scaling_factor") : 1f;
        String method =
                c.has("topk_method")
                        ? c.string("topk_method")
                        : (type.equals("deepseek_v3") ? "noaux_tc" : "greedy");
        String scoring =
                c.has("scoring_func")
                        ? c.string("scoring_func")
                        : (type.equals("deepseek_v3") ? "sigmoid" : "softmax");
        int groups = c.has("n_group") ? c.integer("n_group") : 1;
        int keptGroups = c.has("topk_group") ? c.integer("topk_group") : 1;
        RouterSpec router;
        switch (method) {
            case "noaux_tc":
                if (!scoring.equals("sigmoid")) {
                    throw c.error(
                            "topk_method noaux_tc needs scoring_func sigmoid, got " + scoring);
                }
                router =
                        RouterSpec.builder(RouterType.GROUP_LIMITED)
                                .setNumExperts(experts)
                                .setTopK(k)
                                .optScoring(ScoringFunction.SIGMOID)
                                .optGroups(groups, keptGroups, GroupScore.TOP2_SUM)
                                .optCorrectionBias(true)
                                .optNormalizeTopK(norm)
                                .optScalingFactor(routedScale)
                                .build();
                break;
            case "group_limited_greedy":
                requireSoftmax(c, scoring, method);
                router = RouterSpec.deepSeekV2(experts, k, groups, keptGroups, norm, routedScale);
                break;
            case "greedy":
                {
                    requireSoftmax(c, scoring, method);
                    boolean normalize = k > 1 && norm;
                    router =
                            RouterSpec.builder(RouterType.SOFTMAX_TOP_K)
                                    .setNumExperts(experts)
                                    .setTopK(k)
                                    .optNormalizeTopK(normalize)
                                    .optScalingFactor(normalize ? 1f : routedScale)
                                    .build();
                    break;
                }
            default:
                throw c.error(
                        "topk_method '"
                                + method
                                + "' is not supported; supported: greedy, group_limited_greedy, noaux_tc");
        }
        MoeLayerSpec moe =
                MoeLayerSpec.of(
                        router,
                        ExpertSpec.swiGlu(experts, hidden, c.integer("moe_intermediate_size")));
        int shared = c.has("n_shared_experts") ? c.integer("n_shared_experts") : 0;
        if (shared > 0) {
            moe =
                    moe.withSharedExpert(
                            new SharedExpertSpec(
                                    shared * c.integer("moe_intermediate_size"), false));
        }
        int firstDense = c.has("first_k_dense_replace") ? c.integer("first_k_dense_replace") : 0;
        int frequency = c.has("moe_layer_freq") ? c.integer("moe_layer_freq") : 1;
        List<MoeLayerSpec> ffn = new ArrayList<>();
        for (int i = 0; i < c.integer("num_hidden_layers"); i++) {
            ffn.add(i >= firstDense && i % frequency == 0 ? moe : null);
        }
        boolean tied = c.has("tie_word_embeddings") && c.bool("tie_word_embeddings");
        int dense = c.has("intermediate_size") ? c.integer("intermediate_size") : 0;
        return new DecoderSpec(
                type, c.integer("vocab_size"), hidden, attention, ffn, dense, eps, eps, tied);
    }

    /**
     * JetMoE: mixture of attention heads and an MoE MLP with top-k-then-softmax routers, fused
     * {@code input_linear [E, 2I, H]} experts and output biases. The per-layer RMSNorms use the
     * reference's default ε 1e-6; only the final norm reads {@code rms_norm_eps}.
     */
    private static DecoderSpec jetMoe(Fields c) throws MalformedCheckpointException {
        int hidden = c.integer("hidden_size");
        int experts = c.integer("num_local_experts");
        int k = c.integer("num_experts_per_tok");
        double theta = c.has("rope_theta") ? c.number("rope_theta") : 10000.0;
        MoaSpec attention =
                new MoaSpec(
                        hidden,
                        experts,
                        k,
                        c.integer("num_key_value_heads"),
                        c.integer("kv_channels"),
                        theta);
        MoeLayerSpec mlp =
                MoeLayerSpec.of(
                                RouterSpec.builder(RouterType.TOP_K_SOFTMAX)
                                        .setNumExperts(experts)
                                        .setTopK(k)
                                        .build(),
                                ExpertSpec.swiGlu(experts, hidden, c.integer("intermediate_size")))
                        .withOutputBias(true);
        List<MoeLayerSpec> ffn = new ArrayList<>();
        for (int i = 0; i < c.integer("num_hidden_layers"); i++) {
            ffn.add(mlp);
        }
        // JetMoeConfig defaults tie_word_embeddings to true.
        boolean tied = !c.has("tie_word_embeddings") || c.bool("tie_word_embeddings");
        float eps = (float) c.number("rms_norm_eps");
        return new DecoderSpec(
                "jetmoe", c.integer("vocab_size"), hidden, attention, ffn, 0, eps, 1e-6f, tied);
    }

    private static void requireSoftmax(Fields c, String scoring, String method)
            throws MalformedCheckpointException {
        if (!scoring.equals("softmax")) {
            throw c.error("topk_method " + method + " needs scoring_func softmax, got " + scoring);
        }
    }

    private static double number(Fields c, JsonObject o, String name, double fallback)
            throws MalformedCheckpointException {
        if (!o.has(name) || o.get(name).isJsonNull()) {
            if (Double.isNaN(fallback)) {
                throw c.error("rope_scaling has no '" + name + "'");
            }
            return fallback;
        }
        return o.get(name).getAsDouble();
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
