package io.moezoo.engine.gguf;

import com.google.gson.JsonObject;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * llama.cpp's {@code glm4moe} (GLM-4.5, GLM-4.5-Air, GLM-4.6): GQA with q/k/v biases and optional
 * per-head q/k norms, NEOX (rotate-half) RoPE over {@code rope.dimension_count} of each head (no
 * q/k permutation), the feed-forward norm named {@code post_attention_norm}, leading dense layers,
 * sigmoid routing with {@code exp_probs_b} and shared experts. The multi-token-prediction layer of
 * the released checkpoints is not read by this project, so files are written with {@code
 * nextn_predict_layers} 0; a file that has one is refused on import.
 */
final class Glm4MoeArchitecture extends GgufArchitecture {

    @Override
    String name() {
        return "glm4moe";
    }

    @Override
    List<String> modelTypes() {
        return List.of("glm4_moe");
    }

    @Override
    String ffnNormName() {
        return "post_attention_norm";
    }

    @Override
    boolean allowsPartialRope() {
        return true;
    }

    @Override
    boolean outputRequired() {
        return false;
    }

    @Override
    void export(DecoderSpec spec, JsonObject config, Map<String, GgufValue> out, String origin)
            throws MalformedCheckpointException {
        MoeLayerSpec moe = onlyMoe(spec, origin, true);
        if (moe == null) {
            throw new MalformedCheckpointException(origin + ": no MoE layer to export");
        }
        int firstDense = leadingDenseLayers(spec, origin);
        refuseSlidingWindow(spec, origin);
        common(spec, moe, out);
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
        out.put(key("expert_gating_func"), GgufValue.u32(2));
        if (moe.router() instanceof GroupLimitedSpec g) {
            out.put(key("expert_group_count"), GgufValue.u32(g.numGroups()));
            out.put(key("expert_group_used_count"), GgufValue.u32(g.topKGroups()));
        }
        out.put(key("nextn_predict_layers"), GgufValue.u32(0));
    }

    @Override
    JsonObject config(GgufMetadata m, Set<String> tensors) throws MalformedCheckpointException {
        if (m.integer(key("nextn_predict_layers"), 0, 0, Integer.MAX_VALUE) != 0) {
            throw m.error(
                    key("nextn_predict_layers"),
                    "is not 0: files with the multi-token-prediction layer counted in block_count"
                            + " are not read yet");
        }
        if (m.integer(key("expert_gating_func"), 2, 0, 3) != 2) {
            throw m.error(key("expert_gating_func"), "must be 2 (sigmoid) for glm4moe");
        }
        JsonObject c = commonConfig(m, tensors, "glm4_moe", true);
        if (!c.has("partial_rotary_factor")) {
            c.addProperty("partial_rotary_factor", 1);
        }
        experts(m, c, "n_routed_experts");
        int width = m.integer(key("expert_feed_forward_length"), 1, Integer.MAX_VALUE);
        c.addProperty("moe_intermediate_size", width);
        c.addProperty(
                "n_shared_experts", m.integer(key("expert_shared_count"), 0, 0, Integer.MAX_VALUE));
        int firstDense = m.integer(key("leading_dense_block_count"), 0, 0, Integer.MAX_VALUE);
        c.addProperty("first_k_dense_replace", firstDense);
        c.addProperty(
                "intermediate_size",
                m.integer(key("feed_forward_length"), width, 1, Integer.MAX_VALUE));
        c.addProperty("routed_scaling_factor", decimal(m.number(key("expert_weights_scale"), 1f)));
        c.addProperty("norm_topk_prob", m.bool(key("expert_weights_norm"), true));
        int groups = m.integer(key("expert_group_count"), 1, 1, Integer.MAX_VALUE);
        c.addProperty("n_group", groups);
        c.addProperty("topk_group", m.integer(key("expert_group_used_count"), groups, 1, groups));
        c.addProperty("attention_bias", tensors.contains("blk.0.attn_q.bias"));
        c.addProperty("use_qk_norm", tensors.contains("blk.0.attn_q_norm.weight"));
        return c;
    }
}
