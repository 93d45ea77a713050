package io.moezoo.engine.gguf;

import com.google.gson.JsonObject;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.YarnScaling;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * gpt-oss as llama.cpp's {@code gpt-oss} (LLM_ARCH_OPENAI_MOE): GQA with q/k/v/o biases and a sink
 * logit per head ({@code attn_sinks}), NEOX RoPE (no q/k permutation) with YaRN ({@code
 * rope.scaling.type yarn}, {@code factor}, {@code original_context_length}, {@code yarn_beta_fast},
 * {@code yarn_beta_slow}), the feed-forward norm named {@code post_attention_norm}, a {@code
 * sliding_window} on the even layers (llama.cpp's fixed pattern: layer 0 slides), a router with a
 * bias ({@code ffn_gate_inp.bias}) whose top-k logits are softmaxed ({@code expert_gating_func} 3,
 * softmax-weight) and clamped-SwiGLU experts with biases, gate and up split out of the interleaved
 * {@code gate_up_proj} ({@link GptOssExpertRows}), MXFP4 experts repacked without requantisation
 * ({@link Mxfp4Repack}).
 *
 * <p>What llama.cpp cannot represent is refused on export: another layer pattern, another SwiGLU
 * limit or α (llama.cpp hard-codes 7 and 1.702), attention without biases or sinks. llama.cpp
 * always rounds YaRN's correction range; gpt-oss's {@code truncate: false} (the default read back)
 * does not, so a {@code truncate: true} checkpoint is written with {@code
 * moezoo.rope.scaling.yarn_truncate} for this project's import.
 */
final class GptOssArchitecture extends GgufArchitecture {

    /** The SwiGLU clamp and slope llama.cpp's gpt-oss graph hard-codes. */
    private static final float LIMIT = 7f;

    private static final float ALPHA = 1.702f;

    /** llama.cpp's LLAMA_EXPERT_GATING_FUNC_TYPE_SOFTMAX_WEIGHT: softmax over the top-k logits. */
    static final int SOFTMAX_WEIGHT = 3;

    /** This project's key for YaRN's {@code truncate: true} (llama.cpp has none). */
    static final String TRUNCATE = "moezoo.rope.scaling.yarn_truncate";

    @Override
    String name() {
        return "gpt-oss";
    }

    @Override
    List<String> modelTypes() {
        return List.of("gpt_oss");
    }

    @Override
    String ffnNormName() {
        return "post_attention_norm";
    }

    @Override
    void export(DecoderSpec spec, JsonObject config, Map<String, GgufValue> out, String origin)
            throws MalformedCheckpointException {
        MoeLayerSpec moe = onlyMoe(spec, origin, false);
        if (!(moe.experts() instanceof ClampedSwiGluExpertSpec experts)) {
            throw new MalformedCheckpointException(
                    origin + ": gpt-oss experts must be clamped SwiGLU experts");
        }
        if (experts.limit() != LIMIT || experts.alpha() != ALPHA) {
            throw new MalformedCheckpointException(
                    origin
                            + ": swiglu_limit "
                            + experts.limit()
                            + " / alpha "
                            + experts.alpha()
                            + " cannot be exported: llama.cpp's gpt-oss hard-codes 7 and 1.702");
        }
        AttentionSpec a = (AttentionSpec) spec.attention();
        if (!a.qkvBias() || !a.oBias() || !a.sinks()) {
            throw new MalformedCheckpointException(
                    origin
                            + ": llama.cpp's gpt-oss needs q/k/v/o biases and sinks"
                            + " (attention_bias true)");
        }
        int window = window(spec, a, origin);
        common(spec, moe, out);
        int width = experts.intermediateSize();
        out.put(key("feed_forward_length"), GgufValue.u32(width));
        out.put(key("expert_feed_forward_length"), GgufValue.u32(width));
        out.put(key("expert_gating_func"), GgufValue.u32(SOFTMAX_WEIGHT));
        out.put(key("attention.sliding_window"), GgufValue.u32(window));
        YarnScaling y = a.yarn();
        if (y != null) {
            out.put(key("rope.scaling.type"), GgufValue.string("yarn"));
            out.put(key("rope.scaling.factor"), GgufValue.f32((float) y.factor()));
            out.put(
                    key("rope.scaling.original_context_length"),
                    GgufValue.u32(y.originalMaxPositions()));
            out.put(key("rope.scaling.yarn_beta_fast"), GgufValue.f32((float) y.betaFast()));
            out.put(key("rope.scaling.yarn_beta_slow"), GgufValue.f32((float) y.betaSlow()));
            if (y.attentionFactor() > 0) {
                out.put(
                        key("rope.scaling.yarn_attn_factor"),
                        GgufValue.f32((float) y.attentionFactor()));
            }
            if (y.truncate()) {
                out.put(TRUNCATE, GgufValue.bool(true));
            }
        }
    }

    /** The window of the even layers, refusing any other pattern than llama.cpp's. */
    private int window(DecoderSpec spec, AttentionSpec a, String origin)
            throws MalformedCheckpointException {
        int window = a.slidingWindow();
        for (int i = 0; i < spec.numLayers(); i++) {
            int layer = ((AttentionSpec) spec.attention(i)).slidingWindow();
            if (window <= 0 || layer != (i % 2 == 0 ? window : 0)) {
                throw new MalformedCheckpointException(
                        origin
                                + ": layer "
                                + i
                                + " has sliding window "
                                + layer
                                + "; llama.cpp's gpt-oss slides the even layers by"
                                + " sliding_window and attends fully on the odd ones");
            }
        }
        return window;
    }

    @Override
    JsonObject config(GgufMetadata m, Set<String> tensors) throws MalformedCheckpointException {
        if (m.integer(key("expert_gating_func"), SOFTMAX_WEIGHT, 0, 4) != SOFTMAX_WEIGHT) {
            throw m.error(key("expert_gating_func"), "must be 3 (softmax-weight) for gpt-oss");
        }
        JsonObject c = commonConfig(m, tensors, "gpt_oss", true);
        experts(m, c, "num_local_experts");
        c.addProperty(
                "intermediate_size",
                m.integer(key("expert_feed_forward_length"), 1, Integer.MAX_VALUE));
        c.addProperty(
                "sliding_window", m.integer(key("attention.sliding_window"), 1, Integer.MAX_VALUE));
        c.addProperty("attention_bias", tensors.contains("blk.0.attn_q.bias"));
        return c;
    }

    @Override
    JsonObject ropeScaling(GgufMetadata m, String type) throws MalformedCheckpointException {
        if (!type.equals("yarn")) {
            return super.ropeScaling(m, type);
        }
        JsonObject s = new JsonObject();
        s.addProperty("rope_type", "yarn");
        s.addProperty("factor", decimal(m.number(key("rope.scaling.factor"))));
        int context = m.integer(key("context_length"), 1, Integer.MAX_VALUE);
        s.addProperty(
                "original_max_position_embeddings",
                m.integer(
                        key("rope.scaling.original_context_length"),
                        context,
                        1,
                        Integer.MAX_VALUE));
        s.addProperty("beta_fast", decimal(m.number(key("rope.scaling.yarn_beta_fast"), 32f)));
        s.addProperty("beta_slow", decimal(m.number(key("rope.scaling.yarn_beta_slow"), 1f)));
        s.addProperty("truncate", m.bool(TRUNCATE, false));
        if (m.has(key("rope.scaling.yarn_attn_factor"))) {
            s.addProperty(
                    "attention_factor", decimal(m.number(key("rope.scaling.yarn_attn_factor"))));
        }
        return s;
    }
}
