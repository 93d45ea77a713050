package io.moezoo.translators.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;

/** Tokenizes text into the {@code [1, S]} int64 ids a causal LM block takes. */
final class CausalLmInput {

    private CausalLmInput() {}

    static long[] ids(HuggingFaceTokenizer tokenizer, String text, int minimum)
            throws TranslateException {
        if (text == null || text.isBlank()) {
            throw new TranslateException("Input text is empty");
        }
        long[] ids = tokenizer.encode(text).getIds();
        if (ids.length < minimum) {
            throw new TranslateException(
                    "Input text encodes to "
                            + ids.length
                            + " tokens; at least "
                            + minimum
                            + " needed");
        }
        return ids;
    }

    static NDList batch(NDManager manager, long[] ids) {
        return new NDList(manager.create(ids, new Shape(1, ids.length)));
    }
}
