package io.moezoo.engine.gguf;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Qwen2-MoE as llama.cpp's {@code qwen2moe}: every layer sparse, q/k/v biases, a sigmoid-gated
 * shared expert. llama.cpp b4916 never renormalises the top-k weights; a checkpoint with {@code
 * norm_topk_prob} true is exported with {@code qwen2moe.expert_weights_norm} true, which this
 * importer honours but b4916 ignores.
 */
final class Qwen2MoeArchitecture extends GgufArchitecture {

    @Override
    String name() {
        return "qwen2moe";
    }

    @Override
    List<String> modelTypes() {
        return List.of("qwen2_moe");
    }

    @Override
    void export(DecoderSpec spec, JsonObject config, Map<String, GgufValue> out, String origin)
            throws MalformedCheckpointException {
        MoeLayerSpec moe = onlyMoe(spec, origin, false);
        if (!((AttentionSpec) spec.attention()).qkvBias()) {
            throw new MalformedCheckpointException(
                    origin + ": qkv_bias is false, but llama.cpp's qwen2moe requires q/k/v biases");
        }
        if (moe.sharedExpert() == null) {
            throw new MalformedCheckpointException(
                    origin
                            + ": shared_expert_intermediate_size is 0, but llama.cpp's qwen2moe"
                            + " requires a shared expert");
        }
        common(spec, moe, out);
        if (spec.denseIntermediateSize() > 0) {
            out.put(key("feed_forward_length"), GgufValue.u32(spec.denseIntermediateSize()));
        }
        out.put(key("expert_feed_forward_length"), GgufValue.u32(moe.experts().intermediateSize()));
        out.put(
                key("expert_shared_feed_forward_length"),
                GgufValue.u32(moe.sharedExpert().intermediateSize()));
        if (moe.router().normalizeTopK()) {
            out.put(key("expert_weights_norm"), GgufValue.bool(true));
        }
    }

    @Override
    JsonObject config(GgufMetadata m, Set<String> tensors) throws MalformedCheckpointException {
        JsonObject c = commonConfig(m, tensors, "qwen2_moe", true);
        experts(m, c, "num_experts");
        c.addProperty(
                "moe_intermediate_size",
                m.integer(key("expert_feed_forward_length"), 1, Integer.MAX_VALUE));
        c.addProperty(
                "shared_expert_intermediate_size",
                tensors.contains("blk.0.ffn_up_shexp.weight")
                        ? m.integer(key("expert_shared_feed_forward_length"), 1, Integer.MAX_VALUE)
                        : 0);
        if (m.has(key("feed_forward_length"))) {
            c.addProperty(
                    "intermediate_size",
                    m.integer(key("feed_forward_length"), 1, Integer.MAX_VALUE));
        }
        c.addProperty("norm_topk_prob", m.bool(key("expert_weights_norm"), false));
        c.addProperty("qkv_bias", tensors.contains("blk.0.attn_q.bias"));
        c.addProperty("decoder_sparse_step", 1);
        c.add("mlp_only_layers", new JsonArray());
        return c;
    }
}
