package io.moezoo.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * The linear map \(y = x W^\top (+ b)\) of the blocks' projections (attention, feed-forward,
 * experts, router, language-model head), in the Hugging Face {@code nn.Linear} layout: DJL's {@code
 * Linear.linear} on the engine.
 */
public final class Projections {

    private Projections() {}

    /**
     * Computes {@code x · weightᵀ} over the last axis of x.
     *
     * @param x {@code [..., K]}
     * @param weight {@code [N, K]}
     * @return {@code [..., N]}
     */
    public static NDArray linear(NDArray x, NDArray weight) {
        return Linear.linear(x, weight).head();
    }

    /**
     * Computes {@code x · weightᵀ + bias} over the last axis of x.
     *
     * @param x {@code [..., K]}
     * @param weight {@code [N, K]}
     * @param bias {@code [N]}, or null for none
     * @return {@code [..., N]}
     */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return bias == null ? linear(x, weight) : Linear.linear(x, weight, bias).head();
    }
}
