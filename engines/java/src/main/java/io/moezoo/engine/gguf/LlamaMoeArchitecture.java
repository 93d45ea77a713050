package io.moezoo.engine.gguf;

import com.google.gson.JsonObject;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mixtral as llama.cpp's {@code llama} architecture with experts: {@code feed_forward_length} is
 * the expert width, q/k rows are permuted for llama.cpp's adjacent-pair RoPE, and the output may be
 * tied (no {@code output.weight}). Softmax over all experts, top-k, renormalised, as in Mixtral.
 */
final class LlamaMoeArchitecture extends GgufArchitecture {

    @Override
    String name() {
        return "llama";
    }

    @Override
    List<String> modelTypes() {
        return List.of("mixtral");
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
    List<String> expertNames() {
        return List.of("w1", "w3", "w2");
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
        common(spec, moe, out);
        out.put(key("feed_forward_length"), GgufValue.u32(moe.experts().intermediateSize()));
    }

    @Override
    JsonObject config(GgufMetadata m, Set<String> tensors) throws MalformedCheckpointException {
        if (!m.has(key("expert_count"))) {
            throw m.error(
                    key("expert_count"),
                    "is missing: a llama file without experts is a dense model, not an MoE one");
        }
        JsonObject c = commonConfig(m, tensors, "mixtral", true);
        experts(m, c, "num_local_experts");
        c.addProperty(
                "intermediate_size", m.integer(key("feed_forward_length"), 1, Integer.MAX_VALUE));
        return c;
    }
}
