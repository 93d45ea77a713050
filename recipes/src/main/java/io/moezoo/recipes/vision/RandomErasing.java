package io.moezoo.recipes.vision;

import java.util.Random;

/**
 * Random erasing (Zhong et al. 2020, "Random Erasing Data Augmentation"): a rectangle of a training
 * image, covering a uniformly drawn 2% to 40% of its area with an aspect ratio drawn uniformly from
 * [0.3, 1/0.3], is filled with uniformly random pixel values. Up to 10 draws are tried until the
 * rectangle fits the image; if none fits, the image is left as it is (the paper's rule).
 */
final class RandomErasing {

    /** The smallest erased share of the image. */
    static final double MIN_AREA = 0.02;

    /** The largest erased share of the image. */
    static final double MAX_AREA = 0.4;

    /** The smallest aspect ratio (height / width); the largest is its inverse. */
    static final double MIN_ASPECT = 0.3;

    private static final int ATTEMPTS = 10;

    private RandomErasing() {}

    /**
     * Erases one rectangle of a square image in place.
     *
     * @param x the batch of normalised images
     * @param offset where the image starts in {@code x}
     * @param side the image side
     * @param rng the random source
     * @param mean the normalisation mean (of pixel / 255)
     * @param std the normalisation standard deviation
     * @return {@code {top, left, height, width}} of the erased rectangle, or {@code null} if no
     *     draw fitted
     */
    static int[] erase(float[] x, int offset, int side, Random rng, float mean, float std) {
        double area = (double) side * side;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * (MIN_AREA + (MAX_AREA - MIN_AREA) * rng.nextDouble());
            double aspect = MIN_ASPECT + (1 / MIN_ASPECT - MIN_ASPECT) * rng.nextDouble();
            int h = (int) Math.round(Math.sqrt(target * aspect));
            int w = (int) Math.round(Math.sqrt(target / aspect));
            if (h < 1 || w < 1 || h >= side || w >= side) {
                continue;
            }
            int top = rng.nextInt(side - h + 1);
            int left = rng.nextInt(side - w + 1);
            for (int r = top; r < top + h; r++) {
                for (int c = left; c < left + w; c++) {
                    x[offset + r * side + c] = (rng.nextFloat() - mean) / std;
                }
            }
            return new int[] {top, left, h, w};
        }
        return null;
    }
}
