package io.moezoo.engine.model;

/** A token-wise feed-forward layer (a dense SwiGLU FFN or an MoE layer) over n tokens. */
interface FeedForward {

    /**
     * Computes the layer.
     *
     * @param x the normalised inputs, {@code n × H}
     * @param n the tokens
     * @return {@code n × H}
     */
    float[] forward(float[] x, int n);

    /**
     * Returns the weight bytes one token's pass reads (for an MoE layer, with k experts of average
     * size).
     *
     * @return the bytes
     */
    long bytesPerToken();
}
