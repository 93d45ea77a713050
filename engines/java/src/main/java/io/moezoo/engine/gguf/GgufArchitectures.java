package io.moezoo.engine.gguf;

import io.moezoo.formats.MalformedCheckpointException;
import java.util.ArrayList;
import java.util.List;

/**
 * The llama.cpp architectures this package maps, in one place: {@code llama} (Mixtral), {@code
 * qwen2moe} (Qwen2-MoE), {@code olmoe} (OLMoE), {@code deepseek2} (DeepSeek-V2/V3), {@code
 * granitemoe} (Granite 3.x MoE), {@code glm4moe} (GLM-4.5) and {@code gpt-oss} (gpt-oss).
 */
public final class GgufArchitectures {

    private static final List<GgufArchitecture> ALL =
            List.of(
                    new LlamaMoeArchitecture(),
                    new Qwen2MoeArchitecture(),
                    new OlmoeArchitecture(),
                    new DeepSeek2Architecture(),
                    new GraniteMoeArchitecture(),
                    new Glm4MoeArchitecture(),
                    new GptOssArchitecture());

    private GgufArchitectures() {}

    /**
     * Returns the llama.cpp architecture names supported.
     *
     * @return the names
     */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (GgufArchitecture a : ALL) {
            names.add(a.name());
        }
        return names;
    }

    /**
     * Returns the Hugging Face model types that can be exported.
     *
     * @return the model types
     */
    public static List<String> modelTypes() {
        List<String> types = new ArrayList<>();
        for (GgufArchitecture a : ALL) {
            types.addAll(a.modelTypes());
        }
        return types;
    }

    static GgufArchitecture byName(String name, String origin) throws MalformedCheckpointException {
        for (GgufArchitecture a : ALL) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new MalformedCheckpointException(
                origin
                        + ": general.architecture '"
                        + GgufFile.printable(name)
                        + "' is not supported; supported: "
                        + String.join(", ", names()));
    }

    static GgufArchitecture byModelType(String modelType, String origin)
            throws MalformedCheckpointException {
        for (GgufArchitecture a : ALL) {
            if (a.modelTypes().contains(modelType)) {
                return a;
            }
        }
        throw new MalformedCheckpointException(
                origin
                        + ": model_type "
                        + modelType
                        + " has no llama.cpp architecture here; exportable: "
                        + String.join(", ", modelTypes()));
    }
}
