package io.moezoo.translators.text;

import java.util.List;

/**
 * A causal language model block that runs several sequences in one forward pass per step: every
 * weight is read once for all of them, which is what makes decoding several prompts together faster
 * than one after another on a memory-bound machine. {@link BatchTextGenerator} uses it when the
 * model's block implements it.
 */
public interface BatchDecoder {

    /**
     * Runs the prompts (prefill) and returns a batch holding each sequence's cache.
     *
     * @param prompts the token ids of each prompt, each non-empty
     * @return the batch; close it to free the caches
     * @throws IllegalArgumentException if a prompt is empty, an id is outside the vocabulary or a
     *     prompt does not fit in the context
     */
    Batch startBatch(List<long[]> prompts);

    /** Sequences decoded in lock-step, each with its own cache. */
    interface Batch extends AutoCloseable {

        /**
         * Returns the logits of each sequence's last position, after the prefill or the latest
         * {@link #advance}.
         *
         * @return one row of vocabulary logits per sequence; null for a sequence not advanced
         */
        float[][] logits();

        /**
         * Runs one token for each active sequence in one forward pass.
         *
         * @param tokens the next token of each sequence (ignored where not active)
         * @param active which sequences run; finished ones stay as they are
         */
        void advance(long[] tokens, boolean[] active);

        /** Frees the caches. */
        @Override
        void close();
    }
}
