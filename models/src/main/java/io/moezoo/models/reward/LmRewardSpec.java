package io.moezoo.models.reward;

import io.moezoo.blocks.spec.SpecCodec;
import io.moezoo.blocks.spec.SpecRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A reward model over a frozen causal language model ({@code model.json}; the language model's own
 * spec is {@value #BASE_FILE} beside it and its weights are part of {@code model.safetensors}).
 *
 * @param architecture {@value #DMOERM_LM}
 * @param baseModel the zoo id the frozen language model was copied from (provenance only; the
 *     artifact is self-contained)
 * @param objectives the capability dimensions, in output order (C = size)
 * @param categories the outer router's categories (G = size)
 * @param expertWidth E, the width of each capability expert's feature
 * @param headHidden A, the hidden width of each category's aggregation MLP
 * @param maxPromptTokens the prompt tokens the model reads (the last ones)
 * @param maxResponseTokens the largest response in tokens (leading space included)
 * @param boundaryTokens k, the response tokens right after the prompt that get their own statistics
 * @param tailTokens the last response tokens that get their own statistic
 * @param startToken the id that starts the response-only pass ({@code <|endoftext|>}: "a new
 *     document begins"), and pads the inputs
 */
public record LmRewardSpec(
        String architecture,
        String baseModel,
        List<String> objectives,
        List<String> categories,
        int expertWidth,
        int headHidden,
        int maxPromptTokens,
        int maxResponseTokens,
        int boundaryTokens,
        int tailTokens,
        long startToken)
        implements LmFeatureWindow {

    /** The double-layer MoE reward model whose experts read language-model features. */
    public static final String DMOERM_LM = "dmoerm-lm";

    /** The file holding the frozen language model's spec. */
    public static final String BASE_FILE = "base.json";

    /**
     * Validates the spec.
     *
     * @param architecture the architecture
     * @param baseModel the base model id
     * @param objectives the objectives
     * @param categories the categories
     * @param expertWidth E
     * @param headHidden A
     * @param maxPromptTokens the prompt limit
     * @param maxResponseTokens the response limit
     * @param boundaryTokens k
     * @param tailTokens the tail length
     * @param startToken the start id
     * @throws IllegalArgumentException naming the field that is invalid
     */
    public LmRewardSpec {
        if (!DMOERM_LM.equals(architecture)) {
            throw new IllegalArgumentException(
                    "Invalid LM reward spec: architecture must be '"
                            + DMOERM_LM
                            + "', got '"
                            + architecture
                            + "'");
        }
        require(baseModel != null && !baseModel.isBlank(), "baseModel is required");
        require(objectives != null && !objectives.isEmpty(), "objectives must not be empty");
        require(categories != null && !categories.isEmpty(), "categories must not be empty");
        objectives = List.copyOf(objectives);
        categories = List.copyOf(categories);
        require(expertWidth > 0 && headHidden > 0, "expertWidth and headHidden must be > 0");
        require(
                maxPromptTokens > 0 && maxResponseTokens > 0,
                "maxPromptTokens and maxResponseTokens must be > 0");
        require(boundaryTokens > 0 && tailTokens > 0, "boundaryTokens and tailTokens must be > 0");
        require(startToken >= 0, "startToken must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid LM reward spec: " + message);
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
    public static LmRewardSpec fromJson(String json) {
        return SpecRecords.parseRecord(LmRewardSpec.class, json, "LM reward spec");
    }

    /**
     * Reads {@code model.json}.
     *
     * @param file the file
     * @return the spec
     * @throws IOException if the file cannot be read or is invalid
     */
    public static LmRewardSpec read(Path file) throws IOException {
        return SpecRecords.readRecordFile(LmRewardSpec.class, file, "LM reward spec");
    }
}
