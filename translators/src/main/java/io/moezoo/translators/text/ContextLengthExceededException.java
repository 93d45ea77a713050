package io.moezoo.translators.text;

import ai.djl.translate.TranslateException;

/**
 * A tokenized input that does not fit in the model's context: the prompt alone, or the prompt plus
 * the tokens to generate, is longer than {@link ContextWindow#contextLength()}. The message gives
 * the numbers and what to change.
 */
public class ContextLengthExceededException extends TranslateException {

    private static final long serialVersionUID = 1L;

    private final int promptTokens;
    private final int maxNewTokens;
    private final int contextLength;

    /**
     * Creates the exception.
     *
     * @param message what does not fit and what to change
     * @param promptTokens the tokens of the input
     * @param maxNewTokens the tokens to generate (0 when scoring)
     * @param contextLength the model's context length
     */
    public ContextLengthExceededException(
            String message, int promptTokens, int maxNewTokens, int contextLength) {
        super(message);
        this.promptTokens = promptTokens;
        this.maxNewTokens = maxNewTokens;
        this.contextLength = contextLength;
    }

    /**
     * Returns the number of input tokens.
     *
     * @return the prompt's tokens
     */
    public int getPromptTokens() {
        return promptTokens;
    }

    /**
     * Returns the number of tokens to generate.
     *
     * @return max new tokens, 0 when scoring
     */
    public int getMaxNewTokens() {
        return maxNewTokens;
    }

    /**
     * Returns the model's context length.
     *
     * @return the context length
     */
    public int getContextLength() {
        return contextLength;
    }
}
