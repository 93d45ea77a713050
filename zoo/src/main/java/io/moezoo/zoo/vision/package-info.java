/**
 * The zoo's vision family: a Vision Transformer with V-MoE MLP layers ({@link
 * io.moezoo.zoo.vision.VisionMoeTransformer}, described as data by {@link
 * io.moezoo.zoo.vision.VisionMoeSpec}), its Fashion-MNIST data ({@link
 * io.moezoo.zoo.vision.FashionMnist}, {@link io.moezoo.zoo.vision.IdxFile}), training ({@link
 * io.moezoo.zoo.vision.VisionMoeTraining}), loading ({@link
 * io.moezoo.zoo.vision.VisionMoeBlockFactory}) and evaluation ({@link
 * io.moezoo.zoo.vision.FashionMnistEvaluator}).
 *
 * <pre>
 *   image ─▶ patches ─▶ Linear ─▶ + positions
 *         ─▶ [ h += Attn(LN(h)) ; h += (dense MLP | V-MoE)(LN(h)) ] × L ─▶ LN ─▶ mean ─▶ head
 * </pre>
 *
 * <p>Routing heatmaps: {@link io.moezoo.zoo.vision.VisionMoeTransformer#getLastRouting()} gives,
 * per MoE block, the expert of every patch in the latest forward pass ({@link
 * io.moezoo.zoo.vision.PatchRouting#expertGrid}).
 */
package io.moezoo.zoo.vision;
