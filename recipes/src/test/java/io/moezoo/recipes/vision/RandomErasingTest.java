package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random erasing: one rectangle of the drawn size and shape, random pixels inside, nothing else.
 */
class RandomErasingTest {

    private static final float MEAN = 0.2860f;
    private static final float STD = 0.3530f;

    @Test
    void erasesOneRectangleOfTheDrawnSizeWithRandomPixels() {
        Random rng = new Random(7);
        int side = 28;
        int offset = 784; // the second image of a batch of three
        double sharesSum = 0;
        int erased = 0;
        for (int trial = 0; trial < 2000; trial++) {
            float[] batch = new float[3 * 784];
            java.util.Arrays.fill(batch, 42f);
            int[] box = RandomErasing.erase(batch, offset, side, rng, MEAN, STD);
            if (box == null) {
                assertTrue(allEqual(batch, 42f), "a failed draw leaves the image alone");
                continue;
            }
            erased++;
            int top = box[0];
            int left = box[1];
            int h = box[2];
            int w = box[3];
            assertTrue(top >= 0 && left >= 0 && top + h <= side && left + w <= side);
            double share = (double) h * w / (side * side);
            // Rounding h and w to whole pixels moves the share a little off [0.02, 0.4].
            assertTrue(share >= 0.012 && share <= 0.46, "share " + share);
            double aspect = (double) h / w;
            assertTrue(aspect >= 0.2 && aspect <= 5, "aspect " + aspect);
            sharesSum += share;
            for (int i = 0; i < batch.length; i++) {
                int local = i - offset;
                int r = local / side;
                int c = local % side;
                boolean inside =
                        local >= 0
                                && local < 784
                                && r >= top
                                && r < top + h
                                && c >= left
                                && c < left + w;
                if (inside) {
                    float pixel = batch[i] * STD + MEAN;
                    assertTrue(pixel >= -1e-6f && pixel <= 1 + 1e-6f, "pixel " + pixel);
                } else {
                    assertEquals(42f, batch[i], "outside the rectangle: index " + i);
                }
            }
        }
        assertTrue(erased > 1900, "most draws fit a 28x28 image: " + erased);
        // The mean share of a uniform draw from [0.02, 0.4] is 0.21 (before the failed draws).
        double mean = sharesSum / erased;
        assertTrue(Math.abs(mean - 0.21) < 0.03, "mean share " + mean);
    }

    @Test
    void aTinyImageFitsNoRectangle() {
        // A rectangle must be at least one pixel and smaller than the image on both sides.
        float[] image = {1f, 2f};
        assertNull(RandomErasing.erase(image, 1, 1, new Random(1), MEAN, STD));
        assertArrayEquals(new float[] {1f, 2f}, image);
    }

    @Test
    void recipeValidatesAndDescribesErasing() {
        TrainingRecipe r = VisionMoeTraining.recipe(VisionMoeTraining.recipe(), "erasing=0.5");
        assertEquals(0.5f, r.randomErasing());
        assertEquals(
                "random shift up to 1 px (zero padding), random erasing p = 0.50",
                r.augmentation());
        assertEquals(0f, VisionMoeTraining.recipe().randomErasing());
        assertThrows(
                IllegalArgumentException.class,
                () -> VisionMoeTraining.recipe(VisionMoeTraining.recipe(), "erasing=1.5"));
        assertNotNull(r.toJsonObject().get("augmentation"));
    }

    private static boolean allEqual(float[] a, float v) {
        for (float x : a) {
            if (x != v) {
                return false;
            }
        }
        return true;
    }
}
