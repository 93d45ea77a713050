package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.moezoo.models.vision.LabelSmoothedCrossEntropy;
import org.junit.jupiter.api.Test;

/** Label-smoothed cross-entropy against a plain-loop computation and DJL's unsmoothed loss. */
class LabelSmoothedCrossEntropyTest {

    private static final float[] LOGITS = {2f, -1f, 0.5f, 0f, 3f, -2f};
    private static final float[] LABELS = {0, 2};

    /** -Σ_k q_k log softmax(z)_k with q = (1-ε)·onehot + ε/K, averaged over the batch, by hand. */
    private static double expected(float eps) {
        int k = 3;
        double total = 0;
        for (int b = 0; b < 2; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, LOGITS[b * k + c]);
            }
            double z = 0;
            for (int c = 0; c < k; c++) {
                z += Math.exp(LOGITS[b * k + c] - max);
            }
            for (int c = 0; c < k; c++) {
                double logp = LOGITS[b * k + c] - max - Math.log(z);
                double q = (c == (int) LABELS[b] ? 1 - eps : 0) + eps / k;
                total -= q * logp;
            }
        }
        return total / 2;
    }

    @Test
    void matchesHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList labels = new NDList(m.create(LABELS));
            NDList logits = new NDList(m.create(LOGITS, new Shape(2, 3)));
            for (float eps : new float[] {0f, 0.1f, 0.5f}) {
                double got = new LabelSmoothedCrossEntropy(eps).evaluate(labels, logits).getFloat();
                assertEquals(expected(eps), got, 1e-5, "eps " + eps);
            }
            // ε = 0 is DJL's softmax cross-entropy.
            assertEquals(
                    Loss.softmaxCrossEntropyLoss().evaluate(labels, logits).getFloat(),
                    new LabelSmoothedCrossEntropy(0f).evaluate(labels, logits).getFloat(),
                    1e-5);
        }
    }

    /** d loss / d z = (softmax(z) - q) / B. */
    @Test
    void gradientIsSoftmaxMinusTarget() {
        float eps = 0.1f;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(LOGITS, new Shape(2, 3));
            z.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss =
                        new LabelSmoothedCrossEntropy(eps)
                                .evaluate(new NDList(m.create(LABELS)), new NDList(z));
                gc.backward(loss);
            }
            float[] grad = z.getGradient().toFloatArray();
            for (int b = 0; b < 2; b++) {
                double sum = 0;
                for (int c = 0; c < 3; c++) {
                    sum += Math.exp(LOGITS[b * 3 + c]);
                }
                for (int c = 0; c < 3; c++) {
                    double p = Math.exp(LOGITS[b * 3 + c]) / sum;
                    double q = (c == (int) LABELS[b] ? 1 - eps : 0) + eps / 3;
                    assertEquals((p - q) / 2, grad[b * 3 + c], 1e-5, "b " + b + " c " + c);
                }
            }
        }
    }

    @Test
    void rejectsBadSmoothing() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> new LabelSmoothedCrossEntropy(1f));
        assertTrue(e.getMessage().contains("smoothing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LabelSmoothedCrossEntropy(-0.1f));
        assertThrows(
                IllegalArgumentException.class, () -> new LabelSmoothedCrossEntropy(Float.NaN));
    }

    @Test
    void recipeFieldsParseFromTheCommandLine() {
        TrainingRecipe r = VisionMoeTraining.recipe();
        TrainingRecipe changed =
                VisionMoeTraining.recipe(
                        VisionMoeTraining.recipe(
                                VisionMoeTraining.recipe(r, "epochs=3"), "flip=true"),
                        "smoothing=0.2");
        assertEquals(3, changed.epochs());
        assertEquals(true, changed.horizontalFlip());
        assertEquals(0.2f, changed.labelSmoothing());
        assertEquals(r.batchSize(), changed.batchSize());
        assertEquals(r.maxShift(), changed.maxShift());
        assertThrows(IllegalArgumentException.class, () -> VisionMoeTraining.recipe(r, "epoch=3"));
        assertThrows(IllegalArgumentException.class, () -> VisionMoeTraining.recipe(r, "epochs"));
        assertThrows(
                IllegalArgumentException.class, () -> VisionMoeTraining.recipe(r, "smoothing=1"));
    }
}
