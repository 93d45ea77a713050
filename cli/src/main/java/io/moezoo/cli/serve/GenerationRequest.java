package io.moezoo.cli.serve;

import io.moezoo.hf.GenerationDefaults;
import io.moezoo.hf.harmony.ReasoningEffort;
import io.moezoo.translators.text.GenerationConfig;
import java.util.List;
import java.util.Set;

/**
 * A validated completion or chat request.
 *
 * @param prompt the prompt of a completion request, or null for chat
 * @param messages the messages of a chat request, or null for a completion
 * @param maxTokens the most tokens to generate, in [1, the server's limit]
 * @param maxTokensGiven whether the request gave {@code max_tokens}; when it did not, {@code
 *     maxTokens} is a default that is lowered to what the model's context leaves after the prompt
 * @param temperature the temperature, or null for the checkpoint's default (else greedy)
 * @param topP top-p, or null
 * @param topK top-k (0 = all), or null
 * @param minP min-p, or null
 * @param presencePenalty the presence penalty, 0 for none
 * @param frequencyPenalty the frequency penalty, 0 for none
 * @param repetitionPenalty the repetition penalty, or null
 * @param seed the sampling seed
 * @param stopTokenIds token ids that end generation besides the model's end-of-sequence ids
 * @param stopStrings texts that end generation ({@code stop}); the reply ends before the first one
 *     it contains
 * @param stream whether to answer with server-sent events
 * @param reasoningEffort {@code reasoning_effort} (harmony models; others ignore it), or null for
 *     the model's default
 */
public record GenerationRequest(
        String prompt,
        List<Message> messages,
        int maxTokens,
        boolean maxTokensGiven,
        Float temperature,
        Float topP,
        Integer topK,
        Float minP,
        float presencePenalty,
        float frequencyPenalty,
        Float repetitionPenalty,
        long seed,
        Set<Long> stopTokenIds,
        List<String> stopStrings,
        boolean stream,
        ReasoningEffort reasoningEffort) {

    /**
     * Returns whether this is a chat request.
     *
     * @return true for {@code /v1/chat/completions}
     */
    public boolean chat() {
        return messages != null;
    }

    /**
     * Returns the generation settings (before the checkpoint's defaults are laid under them).
     *
     * @return the config
     */
    public GenerationConfig config() {
        return new GenerationConfig(
                maxTokens,
                temperature == null ? 0f : temperature,
                topK == null ? 0 : topK,
                topP == null ? 1f : topP,
                seed,
                stopTokenIds,
                null,
                false,
                minP == null ? 0f : minP,
                repetitionPenalty == null ? 1f : repetitionPenalty,
                presencePenalty,
                frequencyPenalty,
                stopStrings);
    }

    /**
     * Returns this request with another token limit (a default lowered to fit the context).
     *
     * @param tokens the most tokens to generate, &ge; 1
     * @return the request
     */
    public GenerationRequest withMaxTokens(int tokens) {
        return new GenerationRequest(
                prompt,
                messages,
                tokens,
                maxTokensGiven,
                temperature,
                topP,
                topK,
                minP,
                presencePenalty,
                frequencyPenalty,
                repetitionPenalty,
                seed,
                stopTokenIds,
                stopStrings,
                stream,
                reasoningEffort);
    }

    /**
     * Returns the sampling settings the request gave, by their GenerationConfig names (those the
     * checkpoint's generation_config.json does not override).
     *
     * @return the names
     */
    public Set<String> given() {
        return GenerationDefaults.given(temperature, topK, topP, minP, repetitionPenalty);
    }
}
