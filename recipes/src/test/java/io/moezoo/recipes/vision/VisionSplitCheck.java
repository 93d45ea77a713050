package io.moezoo.recipes.vision;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Accuracy of a saved artifact on the held-out validation images (not a test). */
public final class VisionSplitCheck {

    private VisionSplitCheck() {}

    /**
     * Runs the check.
     *
     * @param args artifact dir, seed
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        FashionMnist train = FashionMnist.load(FashionMnist.Split.TRAIN);
        Random rng = new Random(Long.parseLong(args[1]));
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        try (ZooModel<Image, Classifications> model =
                        FashionMnistEvaluator.load(Paths.get(args[0]));
                Predictor<Image, Classifications> p = model.newPredictor()) {
            int correct = 0;
            int n = 0;
            for (int s = order.length - 5000; s < order.length; s += 250) {
                List<Image> images = new ArrayList<>();
                for (int i = s; i < s + 250; i++) {
                    images.add(train.image(order[i]));
                }
                List<Classifications> out = p.batchPredict(images);
                for (int i = 0; i < 250; i++) {
                    n++;
                    if (out.get(i)
                            .best()
                            .getClassName()
                            .equals(FashionMnist.CLASS_NAMES.get(train.label(order[s + i])))) {
                        correct++;
                    }
                }
            }
            System.out.println("validation accuracy via artifact: " + (double) correct / n);
        }
    }
}
