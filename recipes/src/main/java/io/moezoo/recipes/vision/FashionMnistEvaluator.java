package io.moezoo.recipes.vision;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.moezoo.models.vision.VisionMoeBlockFactory;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.translators.vision.GrayscaleImageClassificationTranslatorFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures an image classifier on Fashion-MNIST through the public prediction path: images are fed
 * as DJL {@link Image}s to a {@code Predictor<Image, Classifications>} in batches, and the top
 * class is compared with the label.
 */
public final class FashionMnistEvaluator {

    private FashionMnistEvaluator() {}

    /**
     * Accuracy and confusion matrix.
     *
     * @param accuracy the fraction of correctly classified images
     * @param confusion {@code confusion[label][predicted]} counts, 10×10
     * @param count the number of images
     */
    public record Evaluation(double accuracy, int[][] confusion, int count) {}

    /**
     * Loads a vision artifact directory the way the zoo does: {@code Criteria} with {@link
     * VisionMoeBlockFactory}, {@link GrayscaleImageClassificationTranslatorFactory} and the
     * Fashion-MNIST translator arguments ({@link #translatorArguments}).
     *
     * @param dir the artifact directory
     * @return the model
     * @throws IOException if loading fails
     */
    public static ZooModel<Image, Classifications> load(Path dir) throws IOException {
        Criteria.Builder<Image, Classifications> builder =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optModelPath(dir)
                        .optEngine("PyTorch")
                        .optOption("hasParameter", "false")
                        .optArgument("blockFactory", new VisionMoeBlockFactory())
                        .optTranslatorFactory(new GrayscaleImageClassificationTranslatorFactory());
        VisionMoeSpec spec = VisionMoeBlockFactory.readSpec(dir.resolve("model.json"));
        translatorArguments(spec).forEach(builder::optArgument);
        try {
            return builder.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException(
                    "Cannot load the vision model in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The translator arguments of a model: its image size and normalisation, top-5, the synset
     * file, and rejection of colour images.
     *
     * @param spec the model spec
     * @return argument name to value, in a stable order
     */
    public static java.util.Map<String, Object> translatorArguments(VisionMoeSpec spec) {
        java.util.Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("width", spec.imageSize());
        args.put("height", spec.imageSize());
        args.put("mean", spec.inputMean());
        args.put("std", spec.inputStd());
        args.put("topK", 5);
        args.put("synset", "synset.txt");
        args.put("colorImages", "reject");
        return args;
    }

    /**
     * Classifies every image of a data set with a new predictor of the model.
     *
     * @param model the model
     * @param data the images and labels
     * @param batchSize images per batch
     * @return accuracy and confusion matrix
     * @throws IOException if prediction fails
     */
    public static Evaluation evaluate(
            ZooModel<Image, Classifications> model, FashionMnist data, int batchSize)
            throws IOException {
        try (Predictor<Image, Classifications> predictor = model.newPredictor()) {
            return evaluate(predictor, data, batchSize);
        }
    }

    /**
     * Classifies every image of a data set.
     *
     * @param predictor the predictor
     * @param data the images and labels
     * @param batchSize images per batch
     * @return accuracy and confusion matrix
     * @throws IOException if prediction fails or returns an unknown class name
     */
    public static Evaluation evaluate(
            Predictor<Image, Classifications> predictor, FashionMnist data, int batchSize)
            throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int classes = FashionMnist.CLASS_NAMES.size();
        int[][] confusion = new int[classes][classes];
        int correct = 0;
        for (int start = 0; start < data.count(); start += batchSize) {
            int n = Math.min(batchSize, data.count() - start);
            List<Image> images = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                images.add(data.image(start + i));
            }
            List<Classifications> results;
            try {
                results = predictor.batchPredict(images);
            } catch (TranslateException e) {
                throw new IOException("Prediction failed: " + e.getMessage(), e);
            }
            for (int i = 0; i < n; i++) {
                String name = results.get(i).best().getClassName();
                int predicted = FashionMnist.CLASS_NAMES.indexOf(name);
                if (predicted < 0) {
                    throw new IOException("Model predicted an unknown class '" + name + "'");
                }
                int label = data.label(start + i);
                confusion[label][predicted]++;
                if (predicted == label) {
                    correct++;
                }
            }
        }
        return new Evaluation((double) correct / data.count(), confusion, data.count());
    }
}
