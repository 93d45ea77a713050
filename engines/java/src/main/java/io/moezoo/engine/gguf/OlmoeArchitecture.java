package io.moezoo.engine.gguf;

import com.google.gson.JsonObject;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OLMoE as llama.cpp's {@code olmoe}: full-width q/k RMSNorms, {@code feed_forward_length} the
 * expert width, softmax top-k without renormalisation ({@code expert_weights_norm} true is written
 * for {@code norm_topk_prob}, honoured here, ignored by llama.cpp b4916). llama.cpp b4916 sizes
 * {@code attn_k_norm} as the hidden size, so it refuses OLMoE files with fewer key/value heads than
 * heads; they are still written (this importer reads them).
 */
final class OlmoeArchitecture extends GgufArchitecture {

    @Override
    String name() {
        return "olmoe";
    }

    @Override
    List<String> modelTypes() {
        return List.of("olmoe");
    }

    @Override
    void export(DecoderSpec spec, JsonObject config, Map<String, GgufValue> out, String origin)
            throws MalformedCheckpointException {
        MoeLayerSpec moe = onlyMoe(spec, origin, false);
        common(spec, moe, out);
        out.put(key("feed_forward_length"), GgufValue.u32(moe.experts().intermediateSize()));
        if (moe.router().normalizeTopK()) {
            out.put(key("expert_weights_norm"), GgufValue.bool(true));
        }
    }

    @Override
    JsonObject config(GgufMetadata m, Set<String> tensors) throws MalformedCheckpointException {
        JsonObject c = commonConfig(m, tensors, "olmoe", true);
        experts(m, c, "num_experts");
        c.addProperty(
                "intermediate_size", m.integer(key("feed_forward_length"), 1, Integer.MAX_VALUE));
        c.addProperty("norm_topk_prob", m.bool(key("expert_weights_norm"), false));
        return c;
    }
}
