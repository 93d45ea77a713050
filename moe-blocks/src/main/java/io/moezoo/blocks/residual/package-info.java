/**
 * The pre-norm residual transformer block every model family is built from: {@link
 * io.moezoo.blocks.residual.PreNormResidualBlock} (norm, mixer, norm, feed-forward, two residual
 * connections), the {@link io.moezoo.blocks.residual.FeedForward} contract that dense MLPs and MoE
 * layers share, the dense {@link io.moezoo.blocks.residual.GeluFeedForward} of ViT blocks, and
 * {@link io.moezoo.blocks.residual.RoutedOutput}, an output with the routing behind it.
 */
package io.moezoo.blocks.residual;
