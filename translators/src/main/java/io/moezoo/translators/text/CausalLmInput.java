package io.moezoo.translators.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;

/**
 * Tokenizes text into the {@code [1, S]} int64 ids a causal LM block takes, fitted to the block's
 * {@link ContextWindow}.
 */
final class CausalLmInput {

    private CausalLmInput() {}

    /**
     * Tokenizes a text and fits it to the model's context.
     *
     * @param tokenizer the tokenizer
     * @param text the text
     * @param minimum the fewest tokens the caller needs
     * @param block the model's block, whose {@link ContextWindow} bounds the input
     * @param maxNewTokens the tokens to generate after the input (0 when scoring)
     * @param truncate keep the last tokens of an input that does not fit instead of refusing it
     * @return the ids
     * @throws TranslateException if the text is empty, not valid UTF-16, encodes to fewer than
     *     {@code minimum} tokens, or does not fit (a {@link ContextLengthExceededException})
     */
    static long[] ids(
            HuggingFaceTokenizer tokenizer,
            String text,
            int minimum,
            Object block,
            int maxNewTokens,
            boolean truncate)
            throws TranslateException {
        if (text == null || text.isBlank()) {
            throw new TranslateException("Input text is empty");
        }
        checkSurrogates(text);
        long[] ids = tokenizer.encode(text).getIds();
        if (ids.length < minimum) {
            throw new TranslateException(
                    "Input text encodes to "
                            + ids.length
                            + " tokens; at least "
                            + minimum
                            + " needed");
        }
        int context;
        try {
            context = ContextWindow.of(block);
        } catch (IllegalStateException e) {
            throw new TranslateException(e.getMessage(), e);
        }
        if (context < minimum) {
            throw new TranslateException(
                    "The model's context of "
                            + context
                            + " tokens is shorter than the "
                            + minimum
                            + " tokens needed");
        }
        return ContextBudget.fit(ids, maxNewTokens, context, truncate);
    }

    /** Refuses unpaired surrogates, which have no UTF-8 form for the tokenizer. */
    private static void checkSurrogates(String text) throws TranslateException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new TranslateException(
                        String.format(
                                java.util.Locale.ROOT,
                                "Input text has an unpaired UTF-16 surrogate U+%04X at index %d:"
                                        + " not valid Unicode text",
                                (int) c,
                                i));
            }
        }
    }

    static NDList batch(NDManager manager, long[] ids) {
        return new NDList(manager.create(ids, new Shape(1, ids.length)));
    }
}
