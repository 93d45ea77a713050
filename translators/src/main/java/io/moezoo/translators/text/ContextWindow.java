package io.moezoo.translators.text;

/**
 * A causal language model block that declares how many positions it can attend to: the prompt and
 * the generated tokens together must fit in {@link #contextLength()}.
 *
 * <p>{@link TextGenerationTranslator} and {@link TextScoringTranslator} check every tokenized input
 * against it before the prefill runs, so a prompt that would not fit is refused (or, when asked
 * for, truncated to its last tokens) before anything proportional to its length reaches the engine.
 * A block that does not implement this interface gets {@link #DEFAULT_CONTEXT_LENGTH}: without a
 * declared window the translators still refuse to feed it an unbounded sequence.
 */
public interface ContextWindow {

    /**
     * The context length assumed for a block that does not implement {@code ContextWindow}: 2048
     * tokens, the window of the smallest common decoder configurations, and a prefill whose logits
     * for a 50K vocabulary stay under half a gigabyte.
     */
    int DEFAULT_CONTEXT_LENGTH = 2048;

    /**
     * Returns the largest number of positions (prompt plus generated tokens) the model handles.
     *
     * @return the context length, &gt; 0
     */
    int contextLength();

    /**
     * Returns the context length of a block: its own if it declares one, else {@link
     * #DEFAULT_CONTEXT_LENGTH}.
     *
     * @param block the model's block (may be null)
     * @return the context length, &gt; 0
     * @throws IllegalStateException if the block declares a context length that is not positive
     */
    static int of(Object block) {
        if (!(block instanceof ContextWindow window)) {
            return DEFAULT_CONTEXT_LENGTH;
        }
        int length = window.contextLength();
        if (length <= 0) {
            throw new IllegalStateException(
                    "The model declares a context length of " + length + "; it must be > 0");
        }
        return length;
    }
}
