/**
 * The vision family: a Vision Transformer with V-MoE MLP layers ({@link
 * io.moezoo.models.vision.VisionMoeTransformer}, described as data by {@link
 * io.moezoo.models.vision.VisionMoeSpec}), loaded by {@link
 * io.moezoo.models.vision.VisionMoeBlockFactory}.
 *
 * <pre>
 *   image ─▶ [conv stem] ─▶ patches ─▶ Linear ─▶ + positions
 *         ─▶ [ h += Attn(LN(h)) ; h += (dense MLP | V-MoE)(LN(h)) ] × L ─▶ LN
 *         ─▶ pool (mean | flatten | class token) ─▶ head
 * </pre>
 *
 * <p>Routing heatmaps: {@link io.moezoo.models.vision.VisionMoeTransformer#getLastRouting()} gives,
 * per MoE block, the expert of every patch in the latest forward pass ({@link
 * io.moezoo.models.vision.PatchRouting#expertGrid}).
 */
package io.moezoo.models.vision;
