package io.moezoo.translators.text;

/**
 * A causal language model block that runs several sequences in one forward pass: every weight is
 * read once for all of them, which is what makes decoding several prompts together faster than one
 * after another on a memory-bound machine. Sequences join and leave a {@link Batch} at any step, so
 * the same batch serves a fixed set of prompts ({@link BatchTextGenerator}) and requests that
 * arrive while others are being decoded (continuous batching).
 */
public interface BatchDecoder {

    /**
     * Opens an empty batch.
     *
     * @return the batch; close it to free every sequence's cache
     */
    Batch newBatch();

    /** Sequences, each with its own cache, run together. Not thread-safe. */
    interface Batch extends AutoCloseable {

        /**
         * Adds a sequence with an empty cache.
         *
         * @return its id in this batch
         */
        int add();

        /**
         * Removes a sequence and frees its cache.
         *
         * @param sequence the sequence's id
         */
        void remove(int sequence);

        /**
         * Runs new tokens of some sequences in one forward pass (a prompt for a new sequence, one
         * token for one being decoded), appending their keys and values to each one's cache.
         *
         * @param sequences the sequences' ids, distinct
         * @param tokens each one's new token ids, non-empty
         * @return each one's logits at its last new position
         * @throws IllegalArgumentException if an id is unknown or outside the vocabulary, a
         *     sequence has no tokens or would overflow the context; no cache changes then
         */
        float[][] run(int[] sequences, long[][] tokens);

        /** Frees every cache. */
        @Override
        void close();
    }
}
