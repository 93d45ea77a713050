package io.moezoo.hf;

import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import io.moezoo.models.language.DecoderSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Maps a Hugging Face {@code config.json} onto a {@link DecoderSpec}: the fields every model type
 * shares are read here, the rest by the model type's own mapping ({@link HfModelTypes}).
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
    public static final List<String> SUPPORTED = HfModelTypes.names();

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
            throw q.error("quant_method", "is missing; accepted: fp8, mxfp4");
        }
        if (q.choice("quant_method", "fp8", List.of("fp8", "mxfp4")).equals("mxfp4")) {
            // gpt-oss: the experts are X_blocks + X_scales pairs, found by their keys.
            return null;
        }
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
        String name = c.string("model_type");
        HfModelType type =
                HfModelTypes.find(name)
                        .orElseThrow(
                                () ->
                                        c.error(
                                                "model_type "
                                                        + StrictJson.name(name)
                                                        + " is not supported; supported: "
                                                        + String.join(", ", SUPPORTED)));
        try {
            return type.map(c, common(c, type));
        } catch (IllegalArgumentException e) {
            // The specs' own checks, a backstop behind the field checks above.
            throw c.error(e.getMessage());
        }
    }

    static Common common(ConfigFields c, HfModelType type) throws MalformedCheckpointException {
        c.choice(type.activationField(), "silu", ACTIVATIONS);
        if (!type.readsPartialRotary() && c.number("partial_rotary_factor", 1, 0, 1) != 1) {
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
}
