package io.moezoo.models.reward;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.blocks.spec.SpecCodec;
import io.moezoo.blocks.spec.SpecJsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A reward model as data ({@code model.json}).
 *
 * @param architecture {@value #DMOERM}, {@value #ARMORM} or {@value #DENSE}
 * @param encoder the frozen base encoder
 * @param objectives the capability dimensions, in output order (C = size)
 * @param categories the outer router's categories (DMoERM; empty otherwise; G = size)
 * @param loraRank r of each LoRA expert (DMoERM) or of the single adapter (dense); 0 for ArmoRM
 * @param loraAlpha the LoRA α (scale α / r)
 * @param headHidden the hidden width of the aggregation MLP (DMoERM), the MLP head (dense) or the
 *     gating network (ArmoRM)
 * @param gatingLayers ArmoRM's hidden gating layers (0 otherwise)
 * @param gatingTemperature ArmoRM's softmax temperature (gates = softmax(logits / t))
 * @param maxPromptBytes the prompt bytes the model reads
 * @param maxResponseBytes the largest response in bytes
 */
public record RewardModelSpec(
        String architecture,
        EncoderSpec encoder,
        List<String> objectives,
        List<String> categories,
        int loraRank,
        float loraAlpha,
        int headHidden,
        int gatingLayers,
        float gatingTemperature,
        int maxPromptBytes,
        int maxResponseBytes) {

    /** The double-layer MoE reward model. */
    public static final String DMOERM = "dmoerm";

    /** The multi-objective reward model with a gating network. */
    public static final String ARMORM = "armorm";

    /** The dense single-adapter baseline. */
    public static final String DENSE = "dense";

    /**
     * Validates the spec.
     *
     * @param architecture the architecture
     * @param encoder the encoder
     * @param objectives the objectives
     * @param categories the categories
     * @param loraRank r
     * @param loraAlpha α
     * @param headHidden head width
     * @param gatingLayers gating layers
     * @param gatingTemperature gating temperature
     * @param maxPromptBytes prompt limit
     * @param maxResponseBytes response limit
     * @throws IllegalArgumentException if a field is missing or inconsistent
     */
    public RewardModelSpec {
        if (architecture == null || encoder == null || objectives == null || categories == null) {
            throw new IllegalArgumentException(
                    "Invalid reward model spec: architecture, encoder, objectives and categories"
                            + " are required");
        }
        objectives = List.copyOf(objectives);
        categories = List.copyOf(categories);
        if (objectives.isEmpty()
                || headHidden <= 0
                || maxPromptBytes <= 0
                || maxResponseBytes <= 1) {
            throw new IllegalArgumentException(
                    "Invalid reward model spec: needs objectives, headHidden > 0 and positive"
                            + " length limits");
        }
        switch (architecture) {
            case DMOERM:
                require(
                        !categories.isEmpty() && loraRank > 0 && loraAlpha > 0,
                        "DMoERM needs categories and loraRank/loraAlpha > 0");
                break;
            case DENSE:
                require(
                        loraRank > 0 && loraAlpha > 0,
                        "the dense model needs loraRank/loraAlpha > 0");
                break;
            case ARMORM:
                require(
                        gatingLayers > 0 && gatingTemperature > 0,
                        "ArmoRM needs gatingLayers > 0 and gatingTemperature > 0");
                break;
            default:
                throw new IllegalArgumentException(
                        "Invalid reward model spec: unknown architecture '" + architecture + "'");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid reward model spec: " + message);
        }
    }

    /**
     * Returns the fixed input length.
     *
     * @return {@code maxPromptBytes + maxResponseBytes}
     */
    public int sequenceLength() {
        return maxPromptBytes + maxResponseBytes;
    }

    /**
     * Returns the JSON form, written by the spec codec.
     *
     * @return pretty-printed JSON
     */
    public String toJson() {
        return SpecCodec.pretty(SpecCodec.writeRecord(this));
    }

    /**
     * Parses and validates a spec. Every field is required except {@code categories} (default
     * none), {@code loraRank}/{@code loraAlpha} (0: no adapters), {@code gatingLayers}/{@code
     * gatingTemperature} (0: no gating network), which depend on the architecture.
     *
     * @param json the JSON text
     * @return the spec
     * @throws IllegalArgumentException naming the field that is missing, unknown or invalid
     */
    public static RewardModelSpec fromJson(String json) {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new SpecJsonException("Invalid reward model spec JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isJsonObject()) {
            throw new SpecJsonException("Invalid reward model spec: expected a JSON object");
        }
        return SpecCodec.readRecord(
                RewardModelSpec.class,
                tree.getAsJsonObject(),
                JsonParser.parseString(
                                "{\"categories\":[],\"loraRank\":0,\"loraAlpha\":0.0,"
                                        + "\"gatingLayers\":0,\"gatingTemperature\":0.0}")
                        .getAsJsonObject(),
                "reward model spec");
    }

    /**
     * Reads {@code model.json}.
     *
     * @param file the file
     * @return the spec
     * @throws IOException if the file cannot be read or is invalid
     */
    public static RewardModelSpec read(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
