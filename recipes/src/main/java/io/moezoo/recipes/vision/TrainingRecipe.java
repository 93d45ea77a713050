package io.moezoo.recipes.vision;

import com.google.gson.JsonObject;
import io.moezoo.models.vision.LabelSmoothedCrossEntropy;

/**
 * How a vision model is trained: AdamW with a linear warm-up then a cosine decay to 1% of the peak
 * learning rate, softmax cross-entropy with optional label smoothing (plus the model's auxiliary
 * losses), optional random translation and horizontal flips as augmentation.
 *
 * @param epochs passes over the training images
 * @param batchSize images per step
 * @param learningRate the peak learning rate
 * @param warmupSteps steps of linear warm-up from 0
 * @param weightDecay AdamW's decoupled weight decay
 * @param maxShift random translation of each training image by up to this many pixels in x and y
 *     (zero padding), 0 for none
 * @param horizontalFlip whether each training image is mirrored left-right with probability 1/2
 * @param randomErasing the probability that a random rectangle of each training image (2% to 40% of
 *     its area, aspect ratio 0.3 to 3.3) is filled with uniformly random pixels after the shift and
 *     flip (Zhong et al. 2020, "Random Erasing Data Augmentation"); 0 for none
 * @param labelSmoothing ε of the label-smoothed cross-entropy ({@link LabelSmoothedCrossEntropy}),
 *     0 for plain cross-entropy
 * @param validationImages training images held out for validation (the last ones of a seeded
 *     shuffle); never trained on
 * @param maxStepsPerEpoch a cap on the steps of each epoch for quick smoke runs, 0 for full epochs
 */
public record TrainingRecipe(
        int epochs,
        int batchSize,
        float learningRate,
        int warmupSteps,
        float weightDecay,
        int maxShift,
        boolean horizontalFlip,
        float randomErasing,
        float labelSmoothing,
        int validationImages,
        int maxStepsPerEpoch) {

    /**
     * Validates the recipe.
     *
     * @param epochs epochs
     * @param batchSize batch size
     * @param learningRate peak learning rate
     * @param warmupSteps warm-up steps
     * @param weightDecay weight decay
     * @param maxShift augmentation shift
     * @param horizontalFlip random left-right flips
     * @param randomErasing random erasing probability
     * @param labelSmoothing label smoothing ε
     * @param validationImages held-out images
     * @param maxStepsPerEpoch the step cap per epoch, 0 for none
     */
    public TrainingRecipe {
        if (epochs <= 0
                || batchSize <= 0
                || !(learningRate > 0)
                || warmupSteps < 0
                || !(weightDecay >= 0)
                || maxShift < 0
                || !(randomErasing >= 0 && randomErasing <= 1)
                || !(labelSmoothing >= 0 && labelSmoothing < 1)
                || validationImages < 0
                || maxStepsPerEpoch < 0) {
            throw new IllegalArgumentException(
                    "Invalid training recipe: epochs, batch size and learning rate must be > 0, the"
                            + " rest >= 0, random erasing in [0, 1], label smoothing in [0, 1)");
        }
    }

    /**
     * Returns the recipe as JSON (for the model card).
     *
     * @return a JSON object
     */
    public JsonObject toJsonObject() {
        JsonObject o = new JsonObject();
        o.addProperty("optimizer", "AdamW");
        o.addProperty("schedule", "linear warm-up, then cosine decay to 1% of the peak");
        o.addProperty("epochs", epochs);
        o.addProperty("batchSize", batchSize);
        o.addProperty("learningRate", learningRate);
        o.addProperty("warmupSteps", warmupSteps);
        o.addProperty("weightDecay", weightDecay);
        o.addProperty("augmentation", augmentation());
        o.addProperty("labelSmoothing", labelSmoothing);
        o.addProperty("validationImages", validationImages);
        if (maxStepsPerEpoch > 0) {
            o.addProperty("maxStepsPerEpoch", maxStepsPerEpoch);
        }
        return o;
    }

    /**
     * Describes the augmentation in words.
     *
     * @return e.g. "random shift up to 2 px (zero padding), random horizontal flip"
     */
    public String augmentation() {
        StringBuilder s = new StringBuilder();
        if (maxShift > 0) {
            s.append("random shift up to ").append(maxShift).append(" px (zero padding)");
        }
        if (horizontalFlip) {
            s.append(s.length() == 0 ? "" : ", ").append("random horizontal flip");
        }
        if (randomErasing > 0) {
            s.append(s.length() == 0 ? "" : ", ")
                    .append(
                            String.format(
                                    java.util.Locale.ROOT,
                                    "random erasing p = %.2f",
                                    randomErasing));
        }
        return s.length() == 0 ? "none" : s.toString();
    }
}
