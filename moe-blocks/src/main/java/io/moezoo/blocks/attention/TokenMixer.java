package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A block that mixes information across the positions of a sequence, {@code [B, S, H] -> [B, S,
 * H]}: the first sublayer of a transformer block (self-attention in every family of the zoo).
 */
public interface TokenMixer extends Block {

    /**
     * Mixes the positions of x.
     *
     * @param ps the parameter store
     * @param x {@code [B, S, H]}
     * @param context the KV cache and key mask of this pass
     * @param training whether this is a training pass
     * @return {@code [B, S, H]}
     * @throws IllegalArgumentException if the mixer cannot honour the context (a cache given to a
     *     mixer without one, a mask given to a mixer that takes none) or x has the wrong shape
     */
    NDArray mix(ParameterStore ps, NDArray x, AttentionContext context, boolean training);
}
