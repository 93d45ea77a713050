/**
 * The vision family's recipe: Fashion-MNIST data ({@link io.moezoo.recipes.vision.FashionMnist},
 * {@link io.moezoo.recipes.vision.IdxFile}), training ({@link
 * io.moezoo.recipes.vision.VisionMoeTraining}), evaluation ({@link
 * io.moezoo.recipes.vision.FashionMnistEvaluator}) and the model card.
 */
package io.moezoo.recipes.vision;
