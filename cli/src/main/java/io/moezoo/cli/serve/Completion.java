package io.moezoo.cli.serve;

/**
 * What one generation produced.
 *
 * @param text the continuation
 * @param promptTokens the prompt's tokens
 * @param completionTokens the generated tokens
 * @param reachedLimit true when generation stopped at {@code max_tokens} (finish reason {@code
 *     length}), false when a stop or end-of-sequence token ended it ({@code stop})
 */
public record Completion(
        String text, int promptTokens, int completionTokens, boolean reachedLimit) {

    /**
     * Returns the OpenAI finish reason.
     *
     * @return {@code length} or {@code stop}
     */
    public String finishReason() {
        return reachedLimit ? "length" : "stop";
    }
}
