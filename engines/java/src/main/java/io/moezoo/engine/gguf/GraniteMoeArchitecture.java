package io.moezoo.engine.gguf;

import com.google.gson.JsonObject;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.Multipliers;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GraniteMoE (IBM Granite 3.x MoE) as llama.cpp's {@code granitemoe}: {@code llama}'s keys and
 * tensors (q/k rows permuted for adjacent-pair RoPE, {@code feed_forward_length} the expert width,
 * {@code output.weight} optional) plus four scales, all float32 and all read by llama.cpp: {@code
 * attention.scale} = attention_multiplier (the factor on q·kᵀ), {@code embedding_scale} =
 * embedding_multiplier, {@code residual_scale} = residual_multiplier and {@code logit_scale} =
 * logits_scaling (llama.cpp divides the logits by it). The fused experts are split as llama.cpp's
 * converter splits them: {@code block_sparse_moe.input_linear [E, 2I, H]} rows {@code [0, I)} are
 * {@code ffn_gate_exps}, rows {@code [I, 2I)} {@code ffn_up_exps}; {@code output_linear [E, H, I]}
 * is {@code ffn_down_exps} and {@code router.layer} {@code ffn_gate_inp}. On import the experts are
 * served per expert ({@code block_sparse_moe.experts.<j>.gate_proj/up_proj/down_proj}). Routing
 * (top-k of the logits, softmax over the k) equals llama.cpp's softmax, top-k, renormalise.
 */
final class GraniteMoeArchitecture extends GgufArchitecture {

    @Override
    String name() {
        return "granitemoe";
    }

    @Override
    List<String> modelTypes() {
        return List.of("granitemoe");
    }

    @Override
    boolean permutesQk() {
        return true;
    }

    @Override
    String moeBlock() {
        return "block_sparse_moe.";
    }

    @Override
    String routerName() {
        return "router.layer.weight";
    }

    @Override
    boolean outputRequired() {
        return false;
    }

    @Override
    void export(DecoderSpec spec, JsonObject config, Map<String, GgufValue> out, String origin)
            throws MalformedCheckpointException {
        MoeLayerSpec moe = onlyMoe(spec, origin, false);
        refuseSlidingWindow(spec, origin);
        AttentionSpec attention = (AttentionSpec) spec.attention();
        common(spec, moe, out);
        out.put(key("feed_forward_length"), GgufValue.u32(moe.experts().intermediateSize()));
        Multipliers m = spec.multipliers();
        // llama.cpp reads all four (0 would mean "unset" there): always written, 1 when unscaled.
        out.put(key("attention.scale"), GgufValue.f32((float) attention.scale()));
        out.put(key("embedding_scale"), GgufValue.f32(m.embedding()));
        out.put(key("residual_scale"), GgufValue.f32(m.residual()));
        out.put(key("logit_scale"), GgufValue.f32(m.logitsScaling()));
    }

    @Override
    JsonObject config(GgufMetadata m, Set<String> tensors) throws MalformedCheckpointException {
        if (!m.has(key("expert_count"))) {
            throw m.error(
                    key("expert_count"),
                    "is missing: a granitemoe file without experts is not an MoE model");
        }
        JsonObject c = commonConfig(m, tensors, "granitemoe", true);
        experts(m, c, "num_local_experts");
        c.addProperty(
                "intermediate_size", m.integer(key("feed_forward_length"), 1, Integer.MAX_VALUE));
        c.addProperty("attention_bias", false);
        // llama.cpp's convention: an absent or 0 scale means the default (1/√head_dim for
        // attention, 1 for the others).
        float attention = m.number(key("attention.scale"), 0f);
        if (attention == 0f) {
            attention = (float) (1 / Math.sqrt(c.get("head_dim").getAsInt()));
        }
        c.addProperty("attention_multiplier", decimal(positive(m, "attention.scale", attention)));
        c.addProperty("embedding_multiplier", decimal(scale(m, "embedding_scale")));
        c.addProperty("residual_multiplier", decimal(scale(m, "residual_scale")));
        c.addProperty("logits_scaling", decimal(scale(m, "logit_scale")));
        return c;
    }

    private float scale(GgufMetadata m, String suffix) throws MalformedCheckpointException {
        float value = m.number(key(suffix), 0f);
        return value == 0f ? 1f : positive(m, suffix, value);
    }

    private float positive(GgufMetadata m, String suffix, float value)
            throws MalformedCheckpointException {
        if (!(value > 0)) {
            throw m.error(key(suffix), "is " + value + "; a scale must be > 0");
        }
        return value;
    }
}
