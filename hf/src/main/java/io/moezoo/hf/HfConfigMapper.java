package io.moezoo.hf;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.MoaSpec;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.RouterType;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import io.moezoo.models.language.DecoderSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps a Hugging Face {@code config.json} onto a {@link DecoderSpec}, using the config names of
 * each {@code model_type}.
 *
 * <p>The file is read as untrusted input (a bounded regular file, strict UTF-8, strict JSON; see
 * {@link io.moezoo.formats.CheckpointFiles}) and every field that changes the maths is either
 * honoured or refused: integers must be JSON integers within {@link ConfigLimits}, floats finite
 * and in range, enumerations ({@code hidden_act}, RoPE scaling types, routing methods, the
 * quantisation method) one of the implemented values, and the sizes consistent (heads divisible by
 * key/value heads, top-k at most the experts, …). Every error is a {@link
 * MalformedCheckpointException} naming the file, the field and what is wrong.
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

    /**
     * The activations the decoders implement ({@code hidden_act}, JetMoE's {@code
     * activation_function}): SiLU, the gate of every SwiGLU FFN and expert; absent means SiLU, as
     * in every supported config class.
     */
    public static final List<String> ACTIVATIONS = List.of("silu", "swish");

    private HfConfigMapper() {}

    /** The fields every model type has. */
    record Common(int vocab, int hidden, int layers, float eps, int maxPositions) {}

    /**
     * Reads and maps a {@code config.json}.
     *
     * @param configJson the file
     * @return the decoder spec
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file is not a bounded regular UTF-8 JSON object,
     *     the model type unsupported or a field missing or invalid
     */
    public static DecoderSpec read(Path configJson)
            throws IOException, MalformedCheckpointException {
        return map(ConfigFields.read(configJson));
    }

    /**
     * Maps config.json text that does not come from a file of a checkpoint directory (the GGUF
     * importer rebuilds it from a file's metadata), with the same checks as {@link #read}.
     *
     * @param configJson the JSON text of a config.json object
     * @param origin what error messages name as the file (for example {@code model.gguf})
     * @return the decoder spec
     * @throws MalformedCheckpointException if the text is not a JSON object, the model type
     *     unsupported or a field missing or invalid
     */
    public static DecoderSpec map(String configJson, String origin)
            throws MalformedCheckpointException {
        return map(ConfigFields.parse(configJson, Path.of(origin)));
    }

    /**
     * Reads the FP8 block size from {@code quantization_config} (DeepSeek-V3 style: {@code
     * quant_method "fp8"}, {@code fmt "e4m3"}, dynamic activations, {@code weight_block_size [rows,
     * cols]}).
     *
     * @param configJson the config file
     * @return {rows, cols}, or null when the checkpoint is not quantised
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the quantisation is not FP8 e4m3 with a valid block
     *     size
     */
    public static int[] fp8BlockSize(Path configJson)
            throws IOException, MalformedCheckpointException {
        return fp8(ConfigFields.read(configJson));
    }

    static int[] fp8(ConfigFields c) throws MalformedCheckpointException {
        ConfigFields q = c.object("quantization_config");
        if (q == null) {
            return null;
        }
        if (!q.has("quant_method")) {
            throw q.error("quant_method", "is missing; accepted: fp8");
        }
        q.choice("quant_method", "fp8", List.of("fp8"));
        q.choice("fmt", "e4m3", List.of("e4m3"));
        q.choice("activation_scheme", "dynamic", List.of("dynamic"));
        if (!q.has("weight_block_size")) {
            return new int[] {Checkpoint.DEFAULT_FP8_BLOCK, Checkpoint.DEFAULT_FP8_BLOCK};
        }
        List<Integer> size = q.integers("weight_block_size", 1, ConfigLimits.MAX_HIDDEN, 2);
        if (size.size() != 2) {
            throw q.error("weight_block_size", "must hold two integers [rows, cols]");
        }
        return new int[] {size.get(0), size.get(1)};
    }

    static DecoderSpec map(ConfigFields c) throws MalformedCheckpointException {
        String type = c.string("model_type");
        if (!SUPPORTED.contains(type)) {
            throw c.error(
                    "model_type "
                            + StrictJson.name(type)
                            + " is not supported; supported: "
                            + String.join(", ", SUPPORTED));
        }
        try {
            if (type.startsWith("deepseek")) {
                return DeepSeekConfigs.map(c, type, common(c, "hidden_act"));
            }
            if (type.equals("jetmoe")) {
                return jetMoe(c, common(c, "activation_function"));
            }
            return gqa(c, type, common(c, "hidden_act"));
        } catch (IllegalArgumentException e) {
            // The specs' own checks, a backstop behind the field checks above.
            throw c.error(e.getMessage());
        }
    }

    static Common common(ConfigFields c, String activation) throws MalformedCheckpointException {
        c.choice(activation, "silu", ACTIVATIONS);
        if (c.number("partial_rotary_factor", 1, 0, 1) != 1) {
            // transformers' RoPE initialisation reads it for every model type.
            throw c.error("partial_rotary_factor", "is not supported (only 1: RoPE on every dim)");
        }
        return new Common(
                c.integer("vocab_size", 1, ConfigLimits.MAX_VOCAB),
                c.integer("hidden_size", 1, ConfigLimits.MAX_HIDDEN),
                c.integer("num_hidden_layers", 1, ConfigLimits.MAX_LAYERS),
                (float) c.positive("rms_norm_eps", Double.NaN, 0, ConfigLimits.MAX_EPS),
                c.integer("max_position_embeddings", 1, ConfigLimits.MAX_POSITIONS));
    }

    /**
     * transformers' per-layer attention kinds ({@code layer_types}): every layer must have the
     * attention this mapper builds, full or (Mixtral with a window) sliding.
     */
    static void layerTypes(ConfigFields c, Common k, boolean sliding)
            throws MalformedCheckpointException {
        List<String> types =
                c.strings(
                        "layer_types",
                        List.of(sliding ? "sliding_attention" : "full_attention"),
                        ConfigLimits.MAX_LAYERS);
        if (c.has("layer_types") && types.size() != k.layers()) {
            throw c.error(
                    "layer_types",
                    "has " + types.size() + " entries for " + k.layers() + " layers");
        }
    }

    /** Mixtral, Qwen2/3-MoE and OLMoE: grouped-query attention and softmax top-k routers. */
    private static DecoderSpec gqa(ConfigFields c, String type, Common k)
            throws MalformedCheckpointException {
        int heads = c.integer("num_attention_heads", 1, ConfigLimits.MAX_HEADS);
        int kvHeads = c.integer("num_key_value_heads", heads, 1, heads);
        if (heads % kvHeads != 0) {
            throw c.error(
                    "num_key_value_heads",
                    "is " + kvHeads + ", which does not divide num_attention_heads " + heads);
        }
        int headDim;
        if (c.has("head_dim")) {
            headDim = c.integer("head_dim", 2, ConfigLimits.MAX_HIDDEN);
        } else if (k.hidden() % heads != 0) {
            throw c.error(
                    "num_attention_heads",
                    "is "
                            + heads
                            + ", which does not divide hidden_size "
                            + k.hidden()
                            + " (and there is no head_dim)");
        } else {
            headDim = k.hidden() / heads;
        }
        if (headDim % 2 != 0) {
            throw c.error("head_dim", "is " + headDim + ", but RoPE needs an even head dimension");
        }
        double theta = RopeConfigs.theta(c, type.equals("mixtral") ? 1e6 : 10000.0);
        double linearFactor = RopeConfigs.linearFactor(c, type);
        int window = c.integer("sliding_window", 0, 1, ConfigLimits.MAX_POSITIONS);
        if (!type.equals("mixtral")) {
            // Qwen applies the window only with use_sliding_window; OLMoE has none.
            window = 0;
        }
        layerTypes(c, k, window > 0);
        if (type.startsWith("qwen") && c.bool("use_sliding_window", false)) {
            throw c.error("use_sliding_window", "is true, which is not supported for " + type);
        }
        if (type.equals("olmoe") && c.has("clip_qkv")) {
            throw c.error("clip_qkv", "is set, which is not supported for olmoe (only null)");
        }
        if ((type.equals("olmoe") || type.equals("qwen3_moe")) && c.bool("attention_bias", false)) {
            throw c.error(
                    "attention_bias",
                    "is true, which is not supported for " + type + " (no o_proj bias)");
        }
        AttentionSpec.QkNorm qkNorm =
                switch (type) {
                    case "olmoe" -> AttentionSpec.QkNorm.FULL;
                    case "qwen3_moe" -> AttentionSpec.QkNorm.PER_HEAD;
                    default -> AttentionSpec.QkNorm.NONE;
                };
        boolean qkvBias = type.equals("qwen2_moe") && c.bool("qkv_bias", true);
        AttentionSpec attention =
                new AttentionSpec(
                        k.hidden(),
                        heads,
                        kvHeads,
                        headDim,
                        qkvBias,
                        qkNorm,
                        theta,
                        linearFactor,
                        window,
                        k.eps());
        int dense = c.integer("intermediate_size", 0, 1, ConfigLimits.MAX_INTERMEDIATE);
        List<MoeLayerSpec> ffn = new ArrayList<>();
        if (type.equals("mixtral") || type.equals("olmoe")) {
            int experts = experts(c, type.equals("mixtral") ? "num_local_experts" : "num_experts");
            if (type.equals("mixtral") && c.has("num_experts") && c.has("num_local_experts")) {
                int alias = c.integer("num_experts", 1, ConfigLimits.MAX_EXPERTS);
                if (alias != experts) {
                    throw c.error("num_experts", "disagrees with num_local_experts " + experts);
                }
            }
            int topK = c.integer("num_experts_per_tok", 1, experts);
            RouterSpec router =
                    type.equals("mixtral")
                            ? RouterSpec.mixtral(experts, topK)
                            : RouterSpec.qwenMoe(experts, topK, c.bool("norm_topk_prob", false));
            MoeLayerSpec layer =
                    MoeLayerSpec.of(
                            router,
                            ExpertSpec.swiGlu(
                                    experts,
                                    k.hidden(),
                                    c.integer(
                                            "intermediate_size",
                                            1,
                                            ConfigLimits.MAX_INTERMEDIATE)));
            for (int i = 0; i < k.layers(); i++) {
                ffn.add(layer);
            }
        } else {
            qwenLayers(c, type, k, ffn);
            if (ffn.contains(null)) {
                dense = c.integer("intermediate_size", 1, ConfigLimits.MAX_INTERMEDIATE);
            }
        }
        return new DecoderSpec(
                type,
                k.vocab(),
                k.hidden(),
                attention,
                ffn,
                dense,
                k.eps(),
                k.eps(),
                c.bool("tie_word_embeddings", false),
                k.maxPositions());
    }

    private static int experts(ConfigFields c, String field) throws MalformedCheckpointException {
        if (!c.has(field) && c.has("num_experts")) {
            // MixtralConfig's attribute_map: num_experts -> num_local_experts.
            return c.integer("num_experts", 1, ConfigLimits.MAX_EXPERTS);
        }
        return c.integer(field, 1, ConfigLimits.MAX_EXPERTS);
    }

    /** Qwen2/3-MoE: sparse layers by decoder_sparse_step and mlp_only_layers, else dense. */
    private static void qwenLayers(ConfigFields c, String type, Common k, List<MoeLayerSpec> ffn)
            throws MalformedCheckpointException {
        int experts = c.integer("num_experts", 0, ConfigLimits.MAX_EXPERTS);
        MoeLayerSpec layer = null;
        if (experts > 0) {
            layer =
                    MoeLayerSpec.of(
                            RouterSpec.qwenMoe(
                                    experts,
                                    c.integer("num_experts_per_tok", 1, experts),
                                    c.bool("norm_topk_prob", false)),
                            ExpertSpec.swiGlu(
                                    experts,
                                    k.hidden(),
                                    c.integer(
                                            "moe_intermediate_size",
                                            1,
                                            ConfigLimits.MAX_INTERMEDIATE)));
            int shared =
                    type.equals("qwen2_moe")
                            ? c.integer(
                                    "shared_expert_intermediate_size",
                                    0,
                                    0,
                                    ConfigLimits.MAX_INTERMEDIATE)
                            : 0;
            if (shared > 0) {
                layer = layer.withSharedExpert(new SharedExpertSpec(shared, true));
            }
        }
        int step = c.integer("decoder_sparse_step", 1, 1, ConfigLimits.MAX_LAYERS);
        Set<Integer> mlpOnly =
                new HashSet<>(
                        c.integers("mlp_only_layers", 0, k.layers() - 1, ConfigLimits.MAX_LAYERS));
        for (int i = 0; i < k.layers(); i++) {
            boolean sparse = layer != null && !mlpOnly.contains(i) && (i + 1) % step == 0;
            ffn.add(sparse ? layer : null);
        }
    }

    /**
     * JetMoE: mixture of attention heads and an MoE MLP with top-k-then-softmax routers, fused
     * {@code input_linear [E, 2I, H]} experts and output biases. The per-layer RMSNorms use the
     * reference's default ε 1e-6; only the final norm reads {@code rms_norm_eps}.
     */
    private static DecoderSpec jetMoe(ConfigFields c, Common k)
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
        layerTypes(c, k, false);
        double theta = RopeConfigs.theta(c, 10000.0);
        if (RopeConfigs.linearFactor(c, "jetmoe") != 1.0) {
            throw c.error("rope_scaling", "is not supported for jetmoe (only null or default)");
        }
        MoaSpec attention = new MoaSpec(k.hidden(), experts, topK, kvHeads, kvChannels, theta);
        MoeLayerSpec mlp =
                MoeLayerSpec.of(
                                RouterSpec.builder(RouterType.TOP_K_SOFTMAX)
                                        .setNumExperts(experts)
                                        .setTopK(topK)
                                        .build(),
                                ExpertSpec.swiGlu(
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
