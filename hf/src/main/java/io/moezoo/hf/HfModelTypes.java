package io.moezoo.hf;

import java.util.List;
import java.util.Optional;

/** The Hugging Face model types this project imports: the one place a model type is registered. */
public final class HfModelTypes {

    private static final List<HfModelType> ALL =
            List.of(
                    new MixtralModelType(),
                    new QwenMoeModelType("qwen2_moe"),
                    new QwenMoeModelType("qwen3_moe"),
                    new OlmoeModelType(),
                    new DeepSeekModelType("deepseek_v2"),
                    new DeepSeekModelType("deepseek_v3"),
                    new JetMoeModelType(),
                    new GraniteMoeModelType(),
                    new Glm4MoeModelType(),
                    new GptOssModelType());

    private HfModelTypes() {}

    /**
     * Returns the supported {@code model_type} values.
     *
     * @return the names, in registration order
     */
    public static List<String> names() {
        return ALL.stream().map(HfModelType::name).toList();
    }

    /**
     * Returns how checkpoints of a model type name their experts ({@link ExpertNames#HUGGING_FACE}
     * for a type not registered here, such as the zoo's own language models).
     *
     * @param modelType a {@code model_type}
     * @return the expert names
     */
    public static ExpertNames expertNames(String modelType) {
        return find(modelType).map(HfModelType::expertNames).orElse(ExpertNames.HUGGING_FACE);
    }

    static Optional<HfModelType> find(String modelType) {
        return ALL.stream().filter(t -> t.name().equals(modelType)).findFirst();
    }
}
