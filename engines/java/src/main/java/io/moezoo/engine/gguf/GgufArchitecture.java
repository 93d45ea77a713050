package io.moezoo.engine.gguf;

import com.google.gson.JsonObject;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One llama.cpp architecture ({@code general.architecture}) and the Hugging Face model types it
 * stands for: how a decoder spec becomes {@code <arch>.*} metadata on export, and how that metadata
 * becomes a {@code config.json} object again on import (which {@code HfConfigMapper} then maps as
 * for any checkpoint). Implementations are registered in {@link GgufArchitectures}.
 */
abstract class GgufArchitecture {

    /** llama.cpp's architecture name. */
    abstract String name();

    /** The Hugging Face model types exported as this architecture. */
    abstract List<String> modelTypes();

    /**
     * Whether q/k rows are permuted for llama.cpp's adjacent-pair RoPE (NORM rope, {@code llama}).
     */
    boolean permutesQk() {
        return false;
    }

    /**
     * The block holding the router and experts after {@code model.layers.<i>.} in the Hugging Face
     * keys the plan uses ({@code mlp.}; Mixtral's and GraniteMoE's {@code block_sparse_moe.}).
     */
    String moeBlock() {
        return "mlp.";
    }

    /** The router's key within the MoE block ({@code gate.weight}). */
    String routerName() {
        return "gate.weight";
    }

    /**
     * The per-expert gate, up and down projection names the plan uses ({@code
     * experts.<j>.<name>.weight}); fused checkpoints are read through them ({@link
     * CheckpointRows}).
     */
    List<String> expertNames() {
        return List.of("gate_proj", "up_proj", "down_proj");
    }

    /**
     * Returns the GGUF name of the norm before each layer's feed-forward ({@code ffn_norm}; glm4moe
     * calls it {@code post_attention_norm}).
     *
     * @return the tensor name without {@code blk.N.} and {@code .weight}
     */
    String ffnNormName() {
        return "ffn_norm";
    }

    /**
     * Returns whether RoPE may cover only part of each head ({@code rope.dimension_count} below the
     * key length), read back as {@code partial_rotary_factor}.
     *
     * @return true for architectures with partial RoPE
     */
    boolean allowsPartialRope() {
        return false;
    }

    /** Whether llama.cpp needs {@code output.weight} even when the embeddings are tied. */
    boolean outputRequired() {
        return true;
    }

    /** Writes the architecture's metadata, refusing what llama.cpp cannot represent. */
    abstract void export(
            DecoderSpec spec, JsonObject config, Map<String, GgufValue> out, String origin)
            throws MalformedCheckpointException;

    /** Rebuilds a config.json object from a file's metadata and tensor names. */
    abstract JsonObject config(GgufMetadata m, Set<String> tensors)
            throws MalformedCheckpointException;

    final String key(String suffix) {
        return name() + "." + suffix;
    }

    /** The metadata every architecture has; GQA attention sizes when the spec has them. */
    final void common(DecoderSpec spec, MoeLayerSpec moe, Map<String, GgufValue> out) {
        out.put("general.architecture", GgufValue.string(name()));
        out.put(key("context_length"), GgufValue.u32(spec.maxPositionEmbeddings()));
        out.put(key("embedding_length"), GgufValue.u32(spec.hiddenSize()));
        out.put(key("block_count"), GgufValue.u32(spec.numLayers()));
        out.put(key("vocab_size"), GgufValue.u32(spec.vocabSize()));
        out.put(key("attention.layer_norm_rms_epsilon"), GgufValue.f32(spec.rmsNormEps()));
        if (moe != null) {
            out.put(key("expert_count"), GgufValue.u32(moe.router().numExperts()));
            out.put(key("expert_used_count"), GgufValue.u32(moe.router().topK()));
        }
        if (spec.attention() instanceof AttentionSpec a) {
            out.put(key("attention.head_count"), GgufValue.u32(a.numHeads()));
            out.put(key("attention.head_count_kv"), GgufValue.u32(a.numKvHeads()));
            out.put(key("attention.key_length"), GgufValue.u32(a.headDim()));
            out.put(key("attention.value_length"), GgufValue.u32(a.headDim()));
            out.put(key("rope.dimension_count"), GgufValue.u32(a.ropeDim()));
            out.put(key("rope.freq_base"), GgufValue.f32((float) a.ropeTheta()));
            if (a.ropeLinearFactor() != 1.0) {
                out.put(key("rope.scaling.type"), GgufValue.string("linear"));
                out.put(key("rope.scaling.factor"), GgufValue.f32((float) a.ropeLinearFactor()));
            }
        }
    }

    /** The config fields every architecture has, GQA attention included when asked. */
    final JsonObject commonConfig(
            GgufMetadata m, Set<String> tensors, String modelType, boolean gqa)
            throws MalformedCheckpointException {
        JsonObject c = new JsonObject();
        c.addProperty("model_type", modelType);
        int hidden = m.integer(key("embedding_length"), 1, Integer.MAX_VALUE);
        c.addProperty("hidden_size", hidden);
        c.addProperty("num_hidden_layers", m.integer(key("block_count"), 1, Integer.MAX_VALUE));
        c.addProperty(
                "max_position_embeddings", m.integer(key("context_length"), 1, Integer.MAX_VALUE));
        c.addProperty("rms_norm_eps", decimal(m.number(key("attention.layer_norm_rms_epsilon"))));
        c.addProperty("vocab_size", vocabSize(m));
        c.addProperty("rope_theta", decimal(m.number(key("rope.freq_base"), 10000f)));
        boolean tied =
                m.has("moezoo.tie_word_embeddings")
                        ? m.bool("moezoo.tie_word_embeddings", false)
                        : !tensors.contains("output.weight");
        c.addProperty("tie_word_embeddings", tied);
        c.addProperty("hidden_act", "silu");
        if (gqa) {
            int heads = m.integer(key("attention.head_count"), 1, Integer.MAX_VALUE);
            c.addProperty("num_attention_heads", heads);
            c.addProperty(
                    "num_key_value_heads",
                    m.integer(key("attention.head_count_kv"), heads, 1, Integer.MAX_VALUE));
            int headDim =
                    m.integer(key("attention.key_length"), hidden / heads, 1, Integer.MAX_VALUE);
            if (m.integer(key("attention.value_length"), headDim, 1, Integer.MAX_VALUE)
                    != headDim) {
                throw m.error(
                        key("attention.value_length"), "differs from the key length " + headDim);
            }
            int ropeDims = m.integer(key("rope.dimension_count"), headDim, 1, Integer.MAX_VALUE);
            if (ropeDims != headDim) {
                if (!allowsPartialRope() || ropeDims > headDim) {
                    throw m.error(
                            key("rope.dimension_count"),
                            "differs from the head dimension " + headDim + " (partial RoPE)");
                }
                c.addProperty(
                        "partial_rotary_factor", BigDecimal.valueOf((double) ropeDims / headDim));
            }
            c.addProperty("head_dim", headDim);
            if (m.has(key("rope.scaling.type"))) {
                JsonObject scaling = ropeScaling(m, m.string(key("rope.scaling.type")));
                if (scaling != null) {
                    c.add("rope_scaling", scaling);
                }
            }
        }
        return c;
    }

    /**
     * Returns the config's {@code rope_scaling} for a file's {@code rope.scaling.type}: {@code
     * linear} with its factor, nothing for {@code none}; other types are refused unless an
     * architecture reads them.
     *
     * @param m the metadata
     * @param type the scaling type
     * @return the rope_scaling object, or null for none
     * @throws MalformedCheckpointException for an unsupported type
     */
    JsonObject ropeScaling(GgufMetadata m, String type) throws MalformedCheckpointException {
        if (type.equals("linear")) {
            JsonObject scaling = new JsonObject();
            scaling.addProperty("type", "linear");
            scaling.addProperty("factor", decimal(m.number(key("rope.scaling.factor"))));
            return scaling;
        }
        if (!type.equals("none")) {
            throw m.error(key("rope.scaling.type"), "'" + type + "' is not supported");
        }
        return null;
    }

    private int vocabSize(GgufMetadata m) throws MalformedCheckpointException {
        if (m.has(key("vocab_size"))) {
            return m.integer(key("vocab_size"), 1, Integer.MAX_VALUE);
        }
        // Files of converters that do not write it: the tokenizer's token count.
        int tokens = m.arrayLength("tokenizer.ggml.tokens");
        if (tokens > 0) {
            return tokens;
        }
        throw m.error(key("vocab_size"), "is missing (and there is no tokenizer.ggml.tokens)");
    }

    final void experts(GgufMetadata m, JsonObject c, String countField)
            throws MalformedCheckpointException {
        int experts = m.integer(key("expert_count"), 1, Integer.MAX_VALUE);
        c.addProperty(countField, experts);
        c.addProperty("num_experts_per_tok", m.integer(key("expert_used_count"), 1, experts));
    }

    /** A float32 value as the shortest decimal that reads back as it (1e-5f is 1.0E-5). */
    static BigDecimal decimal(float value) {
        return new BigDecimal(Float.toString(value));
    }

    /**
     * Refuses a spec with sliding-window attention, which the architecture cannot represent.
     *
     * @param spec the decoder spec
     * @param origin the checkpoint, for messages
     * @throws MalformedCheckpointException naming the window
     */
    final void refuseSlidingWindow(DecoderSpec spec, String origin)
            throws MalformedCheckpointException {
        if (spec.attention() instanceof AttentionSpec a && a.slidingWindow() > 0) {
            throw new MalformedCheckpointException(
                    origin
                            + ": sliding_window "
                            + a.slidingWindow()
                            + " cannot be exported: llama.cpp's "
                            + name()
                            + " architecture has no sliding window attention");
        }
    }

    /**
     * Returns how many dense layers lead the decoder, refusing a dense layer after an MoE one.
     *
     * @param spec the decoder spec
     * @param origin the checkpoint, for messages
     * @return the number of leading dense layers
     * @throws MalformedCheckpointException if a dense layer follows an MoE layer
     */
    final int leadingDenseLayers(DecoderSpec spec, String origin)
            throws MalformedCheckpointException {
        int firstDense = 0;
        while (firstDense < spec.numLayers() && spec.ffn().get(firstDense) == null) {
            firstDense++;
        }
        for (int i = firstDense; i < spec.numLayers(); i++) {
            if (spec.ffn().get(i) == null) {
                throw new MalformedCheckpointException(
                        origin
                                + ": layer "
                                + i
                                + " is dense after MoE layers (moe_layer_freq > 1), which"
                                + " llama.cpp's "
                                + name()
                                + " cannot represent");
            }
        }
        return firstDense;
    }

    /** The MoE layer spec shared by every sparse layer (null if none), refusing others. */
    static MoeLayerSpec onlyMoe(DecoderSpec spec, String origin, boolean denseAllowed)
            throws MalformedCheckpointException {
        MoeLayerSpec moe = null;
        for (int i = 0; i < spec.numLayers(); i++) {
            MoeLayerSpec layer = spec.ffn().get(i);
            if (layer == null && !denseAllowed) {
                throw new MalformedCheckpointException(
                        origin
                                + ": layer "
                                + i
                                + " is a dense FFN, which llama.cpp's architecture for "
                                + spec.modelType()
                                + " cannot represent (every layer must be MoE)");
            }
            if (layer != null && moe == null) {
                moe = layer;
            }
        }
        return moe;
    }
}
