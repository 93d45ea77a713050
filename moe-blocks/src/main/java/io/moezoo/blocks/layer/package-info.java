/**
 * MoE layers: {@link io.moezoo.blocks.layer.MoeLayer} (router + experts + optional shared expert +
 * dispatcher) and {@link io.moezoo.blocks.layer.MoeStack} (residual pre-norm MoE blocks that
 * collect the auxiliary losses of all layers without passing them to the next layer).
 */
package io.moezoo.blocks.layer;
