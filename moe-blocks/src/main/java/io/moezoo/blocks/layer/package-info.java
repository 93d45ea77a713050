/**
 * MoE layers: {@link io.moezoo.blocks.layer.MoeLayer} (router + experts + optional shared expert +
 * dispatcher) and {@link io.moezoo.blocks.layer.MoeStack} (residual pre-norm MoE blocks, {@link
 * io.moezoo.blocks.residual.PreNormResidualBlock}s without a mixer, that collect the auxiliary
 * losses of all layers without passing them to the next layer).
 */
package io.moezoo.blocks.layer;
