package io.moezoo.translators.text;

import java.util.Set;
import java.util.function.LongConsumer;

/**
 * How to generate: greedy when the temperature is 0, else sampling from the softmax of logits /
 * temperature restricted to the top-k tokens and to the top-p nucleus, with a seeded random source.
 * Generation stops at a stop token (not emitted) or after {@code maxNewTokens}.
 *
 * @param maxNewTokens the maximum number of generated tokens, &gt; 0
 * @param temperature 0 for greedy decoding, else &gt; 0
 * @param topK keep only the k most likely tokens, 0 for all
 * @param topP keep the smallest set of tokens whose probability reaches p, 1 for all
 * @param seed the seed of the sampling random source
 * @param stopTokens token ids that end generation
 * @param onToken called with each generated token id as soon as it is chosen (streaming), or null
 */
public record GenerationConfig(
        int maxNewTokens,
        float temperature,
        int topK,
        float topP,
        long seed,
        Set<Long> stopTokens,
        LongConsumer onToken) {

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
     */
    public GenerationConfig {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be > 0, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException(
                    "temperature must be finite and >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        stopTokens = stopTokens == null ? Set.of() : Set.copyOf(stopTokens);
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
        return new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, tokens, onToken);
    }

    /**
     * Returns a copy with a streaming callback.
     *
     * @param callback receives each generated token id
     * @return the new config
     */
    public GenerationConfig withOnToken(LongConsumer callback) {
        return new GenerationConfig(
                maxNewTokens, temperature, topK, topP, seed, stopTokens, callback);
    }
}
