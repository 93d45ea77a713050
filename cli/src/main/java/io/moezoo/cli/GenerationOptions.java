package io.moezoo.cli;

import ai.djl.repository.zoo.Criteria;
import io.moezoo.translators.text.GenerationConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The generation options of {@code generate}, validated with messages that name the option before
 * any model is loaded. The prompt and {@code --max-new-tokens} must fit in the model's context
 * together; {@code --truncate-prompt} keeps the prompt's last tokens instead of refusing it ({@code
 * --max-new-tokens} is never clamped).
 */
final class GenerationOptions {

    @Option(
            names = "--max-new-tokens",
            defaultValue = "32",
            description =
                    "Maximum generated tokens, >= 1; prompt + new tokens must fit in the model's"
                            + " context (default ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(
            names = "--temperature",
            defaultValue = "0",
            description = "0 for greedy decoding (default), else the sampling temperature, <= 100.")
    float temperature;

    @Option(
            names = "--top-k",
            description =
                    "Sample from the k most likely tokens, 1..vocabulary size (default: all).")
    Integer topK;

    @Option(
            names = "--top-p",
            defaultValue = "1",
            description = "Nucleus sampling threshold in (0, 1] (1 = off, the default).")
    float topP;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--stop",
            split = ",",
            description = "Comma-separated stop token ids (at most 1024, inside the vocabulary).")
    List<Long> stop;

    @Option(
            names = "--truncate-prompt",
            description =
                    "Keep the last tokens of a prompt that does not fit in the model's context"
                            + " with --max-new-tokens, instead of refusing it.")
    boolean truncatePrompt;

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException naming the first invalid option and its value
     */
    void validate() {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException(
                    "--max-new-tokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0 && temperature <= GenerationConfig.MAX_TEMPERATURE)) {
            throw new IllegalArgumentException(
                    "--temperature must be a finite number in [0, 100] (0 = greedy), got "
                            + temperature);
        }
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException(
                    "--top-k must be >= 1 (leave it out to sample from every token), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("--top-p must be in (0, 1], got " + topP);
        }
        if (stop != null) {
            if (stop.size() > GenerationConfig.MAX_STOP_TOKENS) {
                throw new IllegalArgumentException(
                        "--stop takes at most "
                                + GenerationConfig.MAX_STOP_TOKENS
                                + " token ids, got "
                                + stop.size());
            }
            for (Long id : stop) {
                if (id == null || id < 0) {
                    throw new IllegalArgumentException("--stop token ids must be >= 0, got " + id);
                }
            }
        }
    }

    /**
     * Returns the validated options as a generation config.
     *
     * @return the config
     * @throws IllegalArgumentException naming the first invalid option
     */
    GenerationConfig config() {
        validate();
        return new GenerationConfig(
                maxNewTokens,
                temperature,
                topK == null ? 0 : topK,
                topP,
                seed,
                stopTokens(),
                null,
                truncatePrompt);
    }

    /**
     * Passes the validated options to a zoo model's translator factory.
     *
     * @param criteria the criteria of a zoo language model
     * @param <I> the input type
     * @param <O> the output type
     * @return the criteria
     */
    <I, O> Criteria.Builder<I, O> arguments(Criteria.Builder<I, O> criteria) {
        validate();
        criteria.optArgument("maxNewTokens", maxNewTokens)
                .optArgument("temperature", temperature)
                .optArgument("topK", topK == null ? 0 : topK)
                .optArgument("topP", topP)
                .optArgument("seed", seed)
                .optArgument("truncatePrompt", truncatePrompt);
        if (stop != null) {
            criteria.optArgument("stopTokens", List.copyOf(stopTokens()));
        }
        return criteria;
    }

    private Set<Long> stopTokens() {
        return stop == null ? Set.of() : new HashSet<>(stop);
    }
}
