package io.moezoo.translators.text;

import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * How to generate: greedy when the temperature is 0, else sampling from the softmax of logits /
 * temperature restricted to the top-k tokens and to the top-p nucleus, with a seeded random source.
 * Generation stops at a stop token (not emitted), where the text first contains a stop string (the
 * text ends before it) or after {@code maxNewTokens}.
 *
 * <p>The prompt and the new tokens share the model's context ({@link ContextWindow}): {@link
 * TextGenerationTranslator} refuses a prompt of P tokens when {@code P + maxNewTokens} exceeds the
 * context length, unless {@code truncatePrompt} is set, in which case it keeps the prompt's last
 * {@code contextLength - maxNewTokens} tokens. {@code maxNewTokens} itself is never clamped: a
 * value that leaves no room for a prompt token is refused either way.
 *
 * @param maxNewTokens the maximum number of generated tokens, &gt; 0
 * @param temperature 0 for greedy decoding, else in (0, {@value #MAX_TEMPERATURE}]
 * @param topK keep only the k most likely tokens, 0 for all; at most the vocabulary size (checked
 *     when the model's logits are known)
 * @param topP keep the smallest set of tokens whose probability reaches p, in (0, 1]; 1 for all
 * @param seed the seed of the sampling random source
 * @param stopTokens token ids that end generation (at most {@value #MAX_STOP_TOKENS}, each &ge; 0
 *     and, checked at run time, inside the vocabulary)
 * @param onToken called with each generated token id as soon as it is chosen (streaming), or null
 * @param truncatePrompt keep the last tokens of a prompt that does not fit instead of refusing it
 * @param minP keep only tokens whose probability is at least {@code minP} times the most likely
 *     token's (after the temperature), in [0, 1); 0 for all
 * @param repetitionPenalty θ of the CTRL repetition penalty over the prompt and the generated
 *     tokens: a seen token's logit l becomes l / θ if l &gt; 0, else l · θ; 1 for none, &gt; 0
 * @param presencePenalty subtracted once from the logit of every token generated so far, in [-2, 2]
 *     (OpenAI's {@code presence_penalty}); 0 for none
 * @param frequencyPenalty subtracted from a token's logit once per time it was generated, in [-2,
 *     2] (OpenAI's {@code frequency_penalty}); 0 for none
 * @param stopStrings texts that end generation where the generated text first contains one
 *     (OpenAI's {@code stop}); at most {@value StopStrings#MAX_COUNT}, each non-empty and at most
 *     {@value StopStrings#MAX_LENGTH} characters; empty for none
 */
public record GenerationConfig(
        int maxNewTokens,
        float temperature,
        int topK,
        float topP,
        long seed,
        Set<Long> stopTokens,
        LongConsumer onToken,
        boolean truncatePrompt,
        float minP,
        float repetitionPenalty,
        float presencePenalty,
        float frequencyPenalty,
        List<String> stopStrings) {

    /** The largest accepted temperature (beyond it sampling is uniform to float precision). */
    public static final float MAX_TEMPERATURE = 100f;

    /** The largest number of stop tokens. */
    public static final int MAX_STOP_TOKENS = 1024;

    /**
     * Validates the config.
     *
     * @param maxNewTokens max new tokens
     * @param temperature temperature
     * @param topK top-k
     * @param topP top-p
     * @param seed seed
     * @param stopTokens stop tokens
     * @param onToken streaming callback
     * @param truncatePrompt whether to truncate a prompt that does not fit
     * @param minP min-p, 0 for none
     * @param repetitionPenalty θ, 1 for none
     * @param presencePenalty presence penalty, 0 for none
     * @param frequencyPenalty frequency penalty, 0 for none
     * @param stopStrings stop strings, empty (or null) for none
     * @throws IllegalArgumentException naming the first invalid parameter and its value
     */
    public GenerationConfig {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be > 0, got " + maxNewTokens);
        }
        if (!(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            throw new IllegalArgumentException(
                    "temperature must be a finite number in [0, "
                            + (int) MAX_TEMPERATURE
                            + "] (0 = greedy), got "
                            + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = all), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP < 1)) {
            throw new IllegalArgumentException("minP must be in [0, 1), got " + minP);
        }
        if (!(repetitionPenalty > 0) || !Float.isFinite(repetitionPenalty)) {
            throw new IllegalArgumentException(
                    "repetitionPenalty must be finite and > 0 (1 = none), got "
                            + repetitionPenalty);
        }
        if (!(presencePenalty >= -2 && presencePenalty <= 2)) {
            throw new IllegalArgumentException(
                    "presencePenalty must be in [-2, 2], got " + presencePenalty);
        }
        if (!(frequencyPenalty >= -2 && frequencyPenalty <= 2)) {
            throw new IllegalArgumentException(
                    "frequencyPenalty must be in [-2, 2], got " + frequencyPenalty);
        }
        if (stopTokens == null) {
            stopTokens = Set.of();
        }
        if (stopTokens.size() > MAX_STOP_TOKENS) {
            throw new IllegalArgumentException(
                    "at most " + MAX_STOP_TOKENS + " stop tokens, got " + stopTokens.size());
        }
        for (Long id : stopTokens) {
            if (id == null || id < 0) {
                throw new IllegalArgumentException("stop token ids must be >= 0, got " + id);
            }
        }
        stopTokens = Set.copyOf(stopTokens);
        stopStrings = StopStrings.validate(stopStrings);
    }

    /**
     * A config without stop strings.
     *
     * @param maxNewTokens max new tokens
     * @param temperature temperature
     * @param topK top-k
     * @param topP top-p
     * @param seed seed
     * @param stopTokens stop tokens
     * @param onToken streaming callback
     * @param truncatePrompt whether to truncate a prompt that does not fit
     * @param minP min-p, 0 for none
     * @param repetitionPenalty θ, 1 for none
     * @param presencePenalty presence penalty, 0 for none
     * @param frequencyPenalty frequency penalty, 0 for none
     */
    public GenerationConfig(
            int maxNewTokens,
            float temperature,
            int topK,
            float topP,
            long seed,
            Set<Long> stopTokens,
            LongConsumer onToken,
            boolean truncatePrompt,
            float minP,
            float repetitionPenalty,
            float presencePenalty,
            float frequencyPenalty) {
        this(
                maxNewTokens,
                temperature,
                topK,
                topP,
                seed,
                stopTokens,
                onToken,
                truncatePrompt,
                minP,
                repetitionPenalty,
                presencePenalty,
                frequencyPenalty,
                List.of());
    }

    /**
     * A config without min-p and penalties.
     *
     * @param maxNewTokens max new tokens
     * @param temperature temperature
     * @param topK top-k
     * @param topP top-p
     * @param seed seed
     * @param stopTokens stop tokens
     * @param onToken streaming callback
     * @param truncatePrompt keep the last tokens of a prompt that does not fit
     * @throws IllegalArgumentException naming the first invalid parameter and its value
     */
    public GenerationConfig(
            int maxNewTokens,
            float temperature,
            int topK,
            float topP,
            long seed,
            Set<Long> stopTokens,
            LongConsumer onToken,
            boolean truncatePrompt) {
        this(
                maxNewTokens,
                temperature,
                topK,
                topP,
                seed,
                stopTokens,
                onToken,
                truncatePrompt,
                0f,
                1f,
                0f,
                0f);
    }

    /**
     * A config that refuses prompts that do not fit (no truncation).
     *
     * @param maxNewTokens max new tokens
     * @param temperature temperature
     * @param topK top-k
     * @param topP top-p
     * @param seed seed
     * @param stopTokens stop tokens
     * @param onToken streaming callback
     * @throws IllegalArgumentException naming the first invalid parameter and its value
     */
    public GenerationConfig(
            int maxNewTokens,
            float temperature,
            int topK,
            float topP,
            long seed,
            Set<Long> stopTokens,
            LongConsumer onToken) {
        this(maxNewTokens, temperature, topK, topP, seed, stopTokens, onToken, false);
    }

    /**
     * Greedy decoding of at most n tokens.
     *
     * @param maxNewTokens n
     * @return the config
     */
    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0f, 0, 1f, 0L, Set.of(), null);
    }

    /**
     * Returns a copy with stop tokens.
     *
     * @param tokens the stop token ids
     * @return the new config
     */
    public GenerationConfig withStopTokens(Set<Long> tokens) {
        Copy c = new Copy(this);
        c.stopTokens = tokens;
        return c.build();
    }

    /**
     * Returns a copy with a streaming callback.
     *
     * @param callback receives each generated token id
     * @return the new config
     */
    public GenerationConfig withOnToken(LongConsumer callback) {
        Copy c = new Copy(this);
        c.onToken = callback;
        return c.build();
    }

    /**
     * Returns a copy that truncates (or refuses) prompts that do not fit in the context.
     *
     * @param truncate true to keep the last tokens of a prompt that does not fit
     * @return the new config
     */
    public GenerationConfig withTruncatePrompt(boolean truncate) {
        Copy c = new Copy(this);
        c.truncatePrompt = truncate;
        return c.build();
    }

    /**
     * Returns a copy with other sampling settings.
     *
     * @param newTemperature 0 for greedy
     * @param newTopK 0 for all tokens
     * @param newTopP 1 for all tokens
     * @param newMinP 0 for all tokens
     * @return the new config
     */
    public GenerationConfig withSampling(
            float newTemperature, int newTopK, float newTopP, float newMinP) {
        Copy c = new Copy(this);
        c.temperature = newTemperature;
        c.topK = newTopK;
        c.topP = newTopP;
        c.minP = newMinP;
        return c.build();
    }

    /**
     * Returns a copy with other penalties.
     *
     * @param repetition θ, 1 for none
     * @param presence 0 for none
     * @param frequency 0 for none
     * @return the new config
     */
    public GenerationConfig withPenalties(float repetition, float presence, float frequency) {
        Copy c = new Copy(this);
        c.repetitionPenalty = repetition;
        c.presencePenalty = presence;
        c.frequencyPenalty = frequency;
        return c.build();
    }

    /**
     * Returns a copy with stop strings.
     *
     * @param strings texts that end generation (empty for none)
     * @return the copy
     * @throws IllegalArgumentException if there are too many, or one is empty or too long
     */
    public GenerationConfig withStopStrings(List<String> strings) {
        Copy c = new Copy(this);
        c.stopStrings = strings;
        return c.build();
    }

    /**
     * A mutable copy of every component, so each {@code with*} method names only what it changes.
     */
    private static final class Copy {
        int maxNewTokens;
        float temperature;
        int topK;
        float topP;
        long seed;
        Set<Long> stopTokens;
        LongConsumer onToken;
        boolean truncatePrompt;
        float minP;
        float repetitionPenalty;
        float presencePenalty;
        float frequencyPenalty;
        List<String> stopStrings;

        Copy(GenerationConfig c) {
            maxNewTokens = c.maxNewTokens;
            temperature = c.temperature;
            topK = c.topK;
            topP = c.topP;
            seed = c.seed;
            stopTokens = c.stopTokens;
            onToken = c.onToken;
            truncatePrompt = c.truncatePrompt;
            minP = c.minP;
            repetitionPenalty = c.repetitionPenalty;
            presencePenalty = c.presencePenalty;
            frequencyPenalty = c.frequencyPenalty;
            stopStrings = c.stopStrings;
        }

        GenerationConfig build() {
            return new GenerationConfig(
                    maxNewTokens,
                    temperature,
                    topK,
                    topP,
                    seed,
                    stopTokens,
                    onToken,
                    truncatePrompt,
                    minP,
                    repetitionPenalty,
                    presencePenalty,
                    frequencyPenalty,
                    stopStrings);
        }
    }
}
