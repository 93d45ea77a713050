package io.moezoo.blocks.residual;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * The position-wise second sublayer of a transformer block, {@code [..., H] -> [..., H]}: a dense
 * MLP ({@link GeluFeedForward}, {@link io.moezoo.blocks.experts.SwiGluFeedForward}) or a Mixture of
 * Experts ({@link io.moezoo.blocks.layer.MoeLayer}). A {@link PreNormResidualBlock} holds one and
 * does not need to know which.
 */
public interface FeedForward extends Block {

    /**
     * Returns H, the size of the last axis of input and output.
     *
     * @return the hidden size
     */
    int getHiddenSize();

    /**
     * Applies the feed-forward and returns its output with the routing that produced it.
     *
     * @param ps the parameter store
     * @param x the input {@code [..., H]} (an MoE layer accepts {@code [T, H]} or {@code [B, S,
     *     H]})
     * @param training whether this is a training pass
     * @return the output {@code [..., H]}; its routing is null for a dense feed-forward
     * @throws IllegalArgumentException if x does not fit the feed-forward
     */
    RoutedOutput forwardRouted(ParameterStore ps, NDArray x, boolean training);
}
