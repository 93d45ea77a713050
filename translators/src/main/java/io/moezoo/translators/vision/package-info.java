/**
 * Image classification for the zoo's vision models: {@link
 * io.moezoo.translators.vision.GrayscaleImageClassificationTranslator} turns a grayscale DJL {@code
 * Image} into the normalised {@code [1, H, W]} tensor the model was trained on and its logits into
 * {@code Classifications}; {@link
 * io.moezoo.translators.vision.GrayscaleImageClassificationTranslatorFactory} builds it from a
 * model's arguments and synset file.
 */
package io.moezoo.translators.vision;
