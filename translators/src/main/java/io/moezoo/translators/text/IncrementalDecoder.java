package io.moezoo.translators.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * A causal language model block that keeps the keys and values of a sequence between decoding
 * steps, so that a step costs one token's work.
 *
 * <p>{@link TextGenerationTranslator} decodes through it when the model's block implements it.
 * Other blocks follow the stateless protocol {@code [ids, k_0, v_0, …] -> [logits, k_0, v_0, …]},
 * where every step passes the whole cache in and gets a new copy of it back.
 */
public interface IncrementalDecoder {

    /**
     * Starts decoding after a prefill.
     *
     * @param manager the manager the session's cache descends from
     * @param past the keys and values the prefill returned, {@code k_0, v_0, k_1, v_1, …} (copied)
     * @return the session; close it to free its cache
     */
    Session startDecoding(NDManager manager, NDList past);

    /** One sequence being decoded: its cache grows by the tokens fed to {@link #next}. */
    interface Session extends AutoCloseable {

        /**
         * Runs the next tokens, appending their keys and values to the cache.
         *
         * @param ps the parameter store
         * @param ids token ids {@code [1, S]}
         * @return logits {@code [1, S, V]}, owned by the manager of ids
         */
        NDArray next(ParameterStore ps, NDArray ids);

        /** Frees the cache. */
        @Override
        void close();
    }
}
