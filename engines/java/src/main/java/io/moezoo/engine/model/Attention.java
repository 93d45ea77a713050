package io.moezoo.engine.model;

/** One attention layer over n new tokens, reading and extending a sequence's {@link KvCache}. */
interface Attention {

    /**
     * Computes the attention output of n tokens at positions {@code cache.length() … cache.length()
     * + n - 1}, writing their keys and values into the cache (the caller advances it once every
     * layer has run).
     *
     * @param x the normalised inputs, {@code n × H}
     * @param n the tokens
     * @param cache the sequence's cache, with room reserved for the n positions
     * @param layer this layer's index in the cache
     * @return {@code n × H}
     */
    float[] forward(float[] x, int n, KvCache cache, int layer);

    /**
     * Returns the floats one position's keys take in the cache.
     *
     * @return the key width
     */
    int keyWidth();

    /**
     * Returns the floats one position's values take in the cache.
     *
     * @return the value width
     */
    int valueWidth();

    /**
     * Returns the weight bytes one token's pass reads.
     *
     * @return the bytes
     */
    long bytesPerToken();
}
