package io.moezoo.cli;

import ai.djl.repository.zoo.Criteria;
import io.moezoo.hf.GenerationDefaults;
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
            description =
                    "0 for greedy decoding, else the sampling temperature, <= 100 (default: the"
                            + " checkpoint's generation_config.json when it samples, else 0).")
    Float temperature;

    @Option(
            names = "--top-k",
            description =
                    "Sample from the k most likely tokens, 1..vocabulary size (default: all).")
    Integer topK;

    @Option(
            names = "--top-p",
            description = "Nucleus sampling threshold in (0, 1] (default 1 = off).")
    Float topP;

    @Option(
            names = "--min-p",
            description =
                    "Keep tokens at least this fraction as likely as the most likely one, in [0,"
                            + " 1) (default 0 = off).")
    Float minP;

    @Option(
            names = "--repetition-penalty",
            description =
                    "Divide (or, if negative, multiply) the logits of tokens already in the prompt"
                            + " or the output by this factor, > 0 (default 1 = off).")
    Float repetitionPenalty;

    @Option(
            names = "--presence-penalty",
            defaultValue = "0",
            description = "Subtract this from the logits of generated tokens, in [-2, 2].")
    float presencePenalty;

    @Option(
            names = "--frequency-penalty",
            defaultValue = "0",
            description = "Subtract this per occurrence from generated tokens' logits, in [-2, 2].")
    float frequencyPenalty;

    @Option(
            names = "--ignore-eos",
            description = "Keep generating past the end-of-sequence ids of generation_config.json.")
    boolean ignoreEos;

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
            names = "--stop-string",
            paramLabel = "TEXT",
            description =
                    "Text that ends generation where the output first contains it (the output ends"
                            + " before it); repeat for several (at most 16).")
    List<String> stopStrings;

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
        if (temperature != null
                && !(temperature >= 0 && temperature <= GenerationConfig.MAX_TEMPERATURE)) {
            throw new IllegalArgumentException(
                    "--temperature must be a finite number in [0, 100] (0 = greedy), got "
                            + temperature);
        }
        if (topK != null && topK < 1) {
            throw new IllegalArgumentException(
                    "--top-k must be >= 1 (leave it out to sample from every token), got " + topK);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("--top-p must be in (0, 1], got " + topP);
        }
        if (minP != null && !(minP >= 0 && minP < 1)) {
            throw new IllegalArgumentException("--min-p must be in [0, 1), got " + minP);
        }
        if (repetitionPenalty != null
                && !(repetitionPenalty > 0 && Float.isFinite(repetitionPenalty))) {
            throw new IllegalArgumentException(
                    "--repetition-penalty must be finite and > 0 (1 = off), got "
                            + repetitionPenalty);
        }
        if (!(presencePenalty >= -2 && presencePenalty <= 2)) {
            throw new IllegalArgumentException(
                    "--presence-penalty must be in [-2, 2], got " + presencePenalty);
        }
        if (!(frequencyPenalty >= -2 && frequencyPenalty <= 2)) {
            throw new IllegalArgumentException(
                    "--frequency-penalty must be in [-2, 2], got " + frequencyPenalty);
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
        try {
            GenerationConfig.greedy(1).withStopStrings(stopStrings());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--stop-string: " + e.getMessage(), e);
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
                temperature == null ? 0f : temperature,
                topK == null ? 0 : topK,
                topP == null ? 1f : topP,
                seed,
                stopTokens(),
                null,
                truncatePrompt,
                minP == null ? 0f : minP,
                repetitionPenalty == null ? 1f : repetitionPenalty,
                presencePenalty,
                frequencyPenalty,
                stopStrings());
    }

    /** The sampling settings given on the command line, by their GenerationConfig names. */
    Set<String> given() {
        return GenerationDefaults.given(temperature, topK, topP, minP, repetitionPenalty);
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
        GenerationConfig c = config();
        criteria.optArgument("maxNewTokens", maxNewTokens)
                .optArgument("temperature", c.temperature())
                .optArgument("topK", c.topK())
                .optArgument("topP", c.topP())
                .optArgument("minP", c.minP())
                .optArgument("repetitionPenalty", c.repetitionPenalty())
                .optArgument("presencePenalty", c.presencePenalty())
                .optArgument("frequencyPenalty", c.frequencyPenalty())
                .optArgument("seed", seed)
                .optArgument("truncatePrompt", truncatePrompt);
        if (stop != null) {
            criteria.optArgument("stopTokens", List.copyOf(stopTokens()));
        }
        if (stopStrings != null) {
            criteria.optArgument("stopStrings", stopStrings());
        }
        return criteria;
    }

    private List<String> stopStrings() {
        return stopStrings == null ? List.of() : List.copyOf(stopStrings);
    }

    private Set<Long> stopTokens() {
        return stop == null ? Set.of() : new HashSet<>(stop);
    }
}
