package io.moezoo.models.reward;

import io.moezoo.blocks.spec.SpecCodec;
import io.moezoo.blocks.spec.SpecRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An ArmoRM-style reward model over a frozen causal language model ({@code model.json}; the
 * language model's spec is {@value LmRewardSpec#BASE_FILE} beside it and its weights are part of
 * {@code model.safetensors}), {@link LmArmoRewardModel}.
 *
 * @param architecture {@value #ARMORM_LM}
 * @param baseModel the zoo id the frozen language model was copied from (provenance only; the
 *     artifact is self-contained)
 * @param objectives the objectives, in output order (C = size)
 * @param gatingHidden the gating network's hidden width
 * @param gatingLayers the gating network's hidden layers (at least 1)
 * @param gatingTemperature the gating softmax temperature
 * @param maxPromptTokens the prompt tokens the model reads (the last ones)
 * @param maxResponseTokens the largest response in tokens (leading space included)
 * @param boundaryTokens k, the response tokens right after the prompt that get their own statistics
 * @param tailTokens the last response tokens that get their own statistic
 * @param startToken the id that starts the response-only pass and pads the inputs
 */
public record LmArmoRewardSpec(
        String architecture,
        String baseModel,
        List<String> objectives,
        int gatingHidden,
        int gatingLayers,
        float gatingTemperature,
        int maxPromptTokens,
        int maxResponseTokens,
        int boundaryTokens,
        int tailTokens,
        long startToken)
        implements LmFeatureWindow {

    /** The ArmoRM reward model whose regression reads language-model features. */
    public static final String ARMORM_LM = "armorm-lm";

    /**
     * Validates the spec.
     *
     * @param architecture the architecture
     * @param baseModel the base model id
     * @param objectives the objectives
     * @param gatingHidden the gating width
     * @param gatingLayers the gating depth
     * @param gatingTemperature the gating temperature
     * @param maxPromptTokens the prompt limit
     * @param maxResponseTokens the response limit
     * @param boundaryTokens k
     * @param tailTokens the tail length
     * @param startToken the start id
     * @throws IllegalArgumentException naming the field that is invalid
     */
    public LmArmoRewardSpec {
        require(
                ARMORM_LM.equals(architecture),
                "architecture must be '" + ARMORM_LM + "', got '" + architecture + "'");
        require(baseModel != null && !baseModel.isBlank(), "baseModel is required");
        require(objectives != null && !objectives.isEmpty(), "objectives must not be empty");
        objectives = List.copyOf(objectives);
        require(gatingHidden > 0, "gatingHidden must be > 0");
        require(gatingLayers > 0, "gatingLayers must be > 0");
        require(
                gatingTemperature > 0 && Float.isFinite(gatingTemperature),
                "gatingTemperature must be a positive number");
        require(
                maxPromptTokens > 0 && maxResponseTokens > 0,
                "maxPromptTokens and maxResponseTokens must be > 0");
        require(boundaryTokens > 0 && tailTokens > 0, "boundaryTokens and tailTokens must be > 0");
        require(startToken >= 0, "startToken must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid LM ArmoRM spec: " + message);
        }
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
     * Parses and validates a spec; every field is required.
     *
     * @param json the JSON text
     * @return the spec
     * @throws IllegalArgumentException naming the field that is missing, unknown or invalid
     */
    public static LmArmoRewardSpec fromJson(String json) {
        return SpecRecords.parseRecord(LmArmoRewardSpec.class, json, "LM ArmoRM spec");
    }

    /**
     * Reads {@code model.json}.
     *
     * @param file the file
     * @return the spec
     * @throws IOException if the file cannot be read or is invalid
     */
    public static LmArmoRewardSpec read(Path file) throws IOException {
        return SpecRecords.readRecordFile(LmArmoRewardSpec.class, file, "LM ArmoRM spec");
    }
}
