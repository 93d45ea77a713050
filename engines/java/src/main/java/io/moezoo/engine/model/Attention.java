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
     * Computes the attention output of several sequences' new tokens, stacked: sequence i has
     * {@code counts[i]} rows of x and its own cache. This default runs the sequences one after
     * another; an attention may share its projections' weight reads across them.
     *
     * @param x the normalised inputs, {@code Σ counts × H}, sequence by sequence
     * @param counts the new tokens of each sequence
     * @param caches each sequence's cache, with room reserved
     * @param layer this layer's index in the caches
     * @return {@code Σ counts × H}
     */
    default float[] forward(float[] x, int[] counts, KvCache[] caches, int layer) {
        if (counts.length == 1) {
            return forward(x, counts[0], caches[0], layer);
        }
        int width = x.length / java.util.Arrays.stream(counts).sum();
        float[] out = new float[x.length];
        int row = 0;
        for (int i = 0; i < counts.length; i++) {
            float[] part =
                    forward(
                            Vectors.slice(x, row * width, counts[i] * width),
                            counts[i],
                            caches[i],
                            layer);
            System.arraycopy(part, 0, out, row * width, part.length);
            row += counts[i];
        }
        return out;
    }

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
