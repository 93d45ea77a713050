package io.moezoo.engine.gguf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.moezoo.blocks.attention.MlaSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.ScoringFunction;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DeepSeek-V2/V3 as llama.cpp's {@code deepseek2}, in the generation llama.cpp b4916 reads: one
 * {@code attn_kv_b} tensor (before the {@code attn_k_b}/{@code attn_v_b} split), {@code key_length}
 * = nope + rope dims, {@code head_count_kv} = heads. Routing: {@code expert_gating_func} (1
 * softmax, 2 sigmoid), {@code expert_weights_norm}, {@code expert_weights_scale}, and {@code
 * expert_group_count}/{@code expert_group_used_count} for group-limited routers (newer llama.cpp
 * keys; b4916 ignores them and routes globally). On import, sigmoid gating means {@code
 * deepseek_v3}, softmax {@code deepseek_v2}; group keys mean {@code noaux_tc} (sigmoid) or {@code
 * group_limited_greedy} (softmax), their absence {@code greedy}. YaRN is written as llama.cpp's
 * {@code rope.scaling.*} keys ({@code yarn_log_multiplier} = 0.1 · mscale_all_dim) plus {@code
 * moezoo.rope.scaling.mscale}, which llama.cpp does not have. Checkpoints with {@code
 * rope_interleave} false are refused (llama.cpp expects the interleaved rope dims DeepSeek
 * checkpoints store). llama.cpp b4916 decides whether q is low-rank by the layer count (27 layers =
 * V2-Lite, no q_lora), so it misreads other layer counts whose q_lora_rank is absent.
 */
final class DeepSeek2Architecture extends GgufArchitecture {

    private static final String MSCALE = "moezoo.rope.scaling.mscale";

    @Override
    String name() {
        return "deepseek2";
    }

    @Override
    List<String> modelTypes() {
        return List.of("deepseek_v2", "deepseek_v3");
    }

    @Override
    void export(DecoderSpec spec, JsonObject config, Map<String, GgufValue> out, String origin)
            throws MalformedCheckpointException {
        MoeLayerSpec moe = onlyMoe(spec, origin, true);
        int firstDense = leadingDenseLayers(spec, origin);
        if (moe == null) {
            throw new MalformedCheckpointException(origin + ": no MoE layer to export");
        }
        JsonElement interleave = config.get("rope_interleave");
        if (interleave != null && !interleave.isJsonNull() && !interleave.getAsBoolean()) {
            throw new MalformedCheckpointException(
                    origin
                            + ": rope_interleave is false, which llama.cpp's deepseek2 cannot"
                            + " represent (it expects interleaved rope dims)");
        }
        MlaSpec a = (MlaSpec) spec.attention();
        common(spec, moe, out);
        out.put(key("attention.head_count"), GgufValue.u32(a.numHeads()));
        out.put(key("attention.head_count_kv"), GgufValue.u32(a.numHeads()));
        out.put(key("attention.key_length"), GgufValue.u32(a.qkHeadDim()));
        out.put(key("attention.value_length"), GgufValue.u32(a.vHeadDim()));
        out.put(key("rope.dimension_count"), GgufValue.u32(a.qkRopeHeadDim()));
        if (a.qLoraRank() > 0) {
            out.put(key("attention.q_lora_rank"), GgufValue.u32(a.qLoraRank()));
        }
        out.put(key("attention.kv_lora_rank"), GgufValue.u32(a.kvLoraRank()));
        out.put(key("rope.freq_base"), GgufValue.f32((float) theta(config)));
        out.put(key("leading_dense_block_count"), GgufValue.u32(firstDense));
        if (spec.denseIntermediateSize() > 0) {
            out.put(key("feed_forward_length"), GgufValue.u32(spec.denseIntermediateSize()));
        }
        int width = moe.experts().intermediateSize();
        out.put(key("expert_feed_forward_length"), GgufValue.u32(width));
        int shared = moe.sharedExpert() == null ? 0 : moe.sharedExpert().intermediateSize() / width;
        out.put(key("expert_shared_count"), GgufValue.u32(shared));
        out.put(key("expert_weights_scale"), GgufValue.f32(moe.router().scalingFactor()));
        out.put(key("expert_weights_norm"), GgufValue.bool(moe.router().normalizeTopK()));
        GroupLimitedSpec grouped = moe.router() instanceof GroupLimitedSpec g ? g : null;
        boolean sigmoid = grouped != null && grouped.scoring() == ScoringFunction.SIGMOID;
        out.put(key("expert_gating_func"), GgufValue.u32(sigmoid ? 2 : 1));
        if (grouped != null) {
            out.put(key("expert_group_count"), GgufValue.u32(grouped.numGroups()));
            out.put(key("expert_group_used_count"), GgufValue.u32(grouped.topKGroups()));
        }
        JsonObject scaling = scaling(config);
        if (scaling == null) {
            // b4916 reads this key for every deepseek2 file (0: attention scale unchanged).
            out.put(key("rope.scaling.yarn_log_multiplier"), GgufValue.f32(0f));
        } else {
            out.put(key("rope.scaling.type"), GgufValue.string("yarn"));
            out.put(key("rope.scaling.factor"), GgufValue.f32(number(scaling, "factor", 1)));
            out.put(
                    key("rope.scaling.original_context_length"),
                    GgufValue.u32(
                            (long)
                                    number(
                                            scaling,
                                            "original_max_position_embeddings",
                                            spec.maxPositionEmbeddings())));
            out.put(
                    key("rope.scaling.yarn_log_multiplier"),
                    GgufValue.f32(0.1f * number(scaling, "mscale_all_dim", 0)));
            out.put(
                    key("rope.scaling.yarn_beta_fast"),
                    GgufValue.f32(number(scaling, "beta_fast", 32)));
            out.put(
                    key("rope.scaling.yarn_beta_slow"),
                    GgufValue.f32(number(scaling, "beta_slow", 1)));
            out.put(MSCALE, GgufValue.f32(number(scaling, "mscale", 0)));
        }
    }

    private static double theta(JsonObject config) {
        JsonObject params = object(config, "rope_parameters");
        if (params != null && params.has("rope_theta") && !params.get("rope_theta").isJsonNull()) {
            return params.get("rope_theta").getAsDouble();
        }
        return number(config, "rope_theta", 10000);
    }

    /** The yarn scaling object, or null for plain RoPE. */
    private static JsonObject scaling(JsonObject config) {
        JsonObject s = object(config, "rope_scaling");
        if (s == null) {
            s = object(config, "rope_parameters");
        }
        if (s == null) {
            return null;
        }
        JsonElement type = s.has("rope_type") ? s.get("rope_type") : s.get("type");
        return type != null && !type.isJsonNull() && type.getAsString().equals("yarn") ? s : null;
    }

    private static JsonObject object(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    private static float number(JsonObject o, String name, double fallback) {
        JsonElement e = o.get(name);
        return (float) (e == null || e.isJsonNull() ? fallback : e.getAsDouble());
    }

    @Override
    JsonObject config(GgufMetadata m, Set<String> tensors) throws MalformedCheckpointException {
        if (tensors.contains("blk.0.attn_k_b.weight")
                || tensors.contains("blk.0.attn_v_b.weight")) {
            throw m.error(
                    "general.architecture",
                    "is deepseek2 of the newer llama.cpp generation (attn_k_b/attn_v_b split from"
                            + " attn_kv_b), which is not supported; only files with one attn_kv_b per"
                            + " layer (llama.cpp b4916 and earlier) are read");
        }
        int gating = m.integer(key("expert_gating_func"), 1, 0, 2);
        boolean sigmoid = gating == 2;
        JsonObject c = commonConfig(m, tensors, sigmoid ? "deepseek_v3" : "deepseek_v2", false);
        int heads = m.integer(key("attention.head_count"), 1, Integer.MAX_VALUE);
        c.addProperty("num_attention_heads", heads);
        c.addProperty(
                "num_key_value_heads",
                m.integer(key("attention.head_count_kv"), heads, 1, Integer.MAX_VALUE));
        int rope = m.integer(key("rope.dimension_count"), 2, Integer.MAX_VALUE);
        int qk = m.integer(key("attention.key_length"), rope, Integer.MAX_VALUE);
        c.addProperty("qk_rope_head_dim", rope);
        c.addProperty("qk_nope_head_dim", qk - rope);
        c.addProperty("v_head_dim", m.integer(key("attention.value_length"), 1, Integer.MAX_VALUE));
        if (m.has(key("attention.q_lora_rank"))) {
            c.addProperty(
                    "q_lora_rank", m.integer(key("attention.q_lora_rank"), 1, Integer.MAX_VALUE));
        }
        c.addProperty(
                "kv_lora_rank", m.integer(key("attention.kv_lora_rank"), 1, Integer.MAX_VALUE));
        c.addProperty("rope_interleave", true);
        experts(m, c, "n_routed_experts");
        c.addProperty(
                "moe_intermediate_size",
                m.integer(key("expert_feed_forward_length"), 1, Integer.MAX_VALUE));
        c.addProperty(
                "n_shared_experts", m.integer(key("expert_shared_count"), 0, 0, Integer.MAX_VALUE));
        c.addProperty(
                "first_k_dense_replace",
                m.integer(key("leading_dense_block_count"), 0, Integer.MAX_VALUE));
        c.addProperty("moe_layer_freq", 1);
        if (m.has(key("feed_forward_length"))) {
            c.addProperty(
                    "intermediate_size",
                    m.integer(key("feed_forward_length"), 1, Integer.MAX_VALUE));
        }
        c.addProperty("norm_topk_prob", m.bool(key("expert_weights_norm"), false));
        c.addProperty("routed_scaling_factor", decimal(m.number(key("expert_weights_scale"), 1f)));
        c.addProperty("scoring_func", sigmoid ? "sigmoid" : "softmax");
        if (m.has(key("expert_group_count"))) {
            c.addProperty("topk_method", sigmoid ? "noaux_tc" : "group_limited_greedy");
            c.addProperty("n_group", m.integer(key("expert_group_count"), 1, Integer.MAX_VALUE));
            c.addProperty(
                    "topk_group", m.integer(key("expert_group_used_count"), 1, Integer.MAX_VALUE));
        } else {
            c.addProperty("topk_method", sigmoid ? "noaux_tc" : "greedy");
        }
        if (m.has(key("rope.scaling.type"))) {
            String type = m.string(key("rope.scaling.type"));
            if (type.equals("yarn")) {
                c.add("rope_scaling", yarn(m));
            } else if (!type.equals("none")) {
                throw m.error(
                        key("rope.scaling.type"), "'" + type + "' is not supported for deepseek2");
            }
        }
        return c;
    }

    private JsonObject yarn(GgufMetadata m) throws MalformedCheckpointException {
        JsonObject s = new JsonObject();
        s.addProperty("type", "yarn");
        s.addProperty("factor", decimal(m.number(key("rope.scaling.factor"))));
        if (m.has(key("rope.scaling.original_context_length"))) {
            s.addProperty(
                    "original_max_position_embeddings",
                    m.integer(key("rope.scaling.original_context_length"), 1, Integer.MAX_VALUE));
        }
        BigDecimal allDim =
                decimal(m.number(key("rope.scaling.yarn_log_multiplier"), 0f))
                        .divide(new BigDecimal("0.1"), MathContext.DECIMAL32)
                        .stripTrailingZeros();
        s.addProperty("mscale_all_dim", allDim);
        s.addProperty("mscale", m.has(MSCALE) ? decimal(m.number(MSCALE)) : allDim);
        s.addProperty("beta_fast", decimal(m.number(key("rope.scaling.yarn_beta_fast"), 32f)));
        s.addProperty("beta_slow", decimal(m.number(key("rope.scaling.yarn_beta_slow"), 1f)));
        return s;
    }
}
