package io.moezoo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import io.moezoo.recipes.data.DataSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * Classifies the first Fashion-MNIST test images (Debian {@code dataset-fashion-mnist}, read by the
 * job's own IDX reader) in local[2] and compares each row with the single-JVM predictor.
 */
class ImageClassifierTest {

    private static final int IMAGES = 64;

    @Test
    void sparkEqualsSingleJvmPredictorOnFashionMnistTestImages() throws Exception {
        Dataset<Row> images =
                JobInputs.images(LocalSpark.get(), DataSets.fashionMnist().toString())
                        .filter(functions.col("id").lt(IMAGES))
                        .repartition(2);
        ImageClassifier classifier = new ImageClassifier(Family.VISION.defaultModel(), Map.of());
        List<Row> got = classifier.classify(images).orderBy("id").collectAsList();
        assertEquals(IMAGES, got.size());
        assertEquals(
                List.of(
                        "id",
                        "label",
                        "class_name",
                        "probability",
                        "top_classes",
                        "top_probabilities"),
                List.of(classifier.classify(images).schema().fieldNames()));

        List<Image> inputs = new ArrayList<>();
        for (Row row : images.orderBy("id").collectAsList()) {
            inputs.add(ImageClassifier.image(row.getAs("pixels")));
        }
        List<Classifications> expected = LocalSpark.singleJvm(classifier.spec(), inputs, c -> c);
        int correct = 0;
        for (int i = 0; i < IMAGES; i++) {
            Row row = got.get(i);
            Classifications want = expected.get(i);
            assertEquals((long) i, row.<Long>getAs("id"));
            assertEquals(want.best().getClassName(), row.getAs("class_name"), "image " + i);
            assertEquals(want.best().getProbability(), row.<Double>getAs("probability"), 1e-5);
            List<Classifications.Classification> top = want.topK();
            List<String> classes = row.getList(row.fieldIndex("top_classes"));
            List<Double> probabilities = row.getList(row.fieldIndex("top_probabilities"));
            assertEquals(top.size(), classes.size());
            for (int k = 0; k < top.size(); k++) {
                assertEquals(top.get(k).getClassName(), classes.get(k), "image " + i);
                assertEquals(top.get(k).getProbability(), probabilities.get(k), 1e-5);
            }
            int label = row.getAs("label");
            if (io.moezoo.recipes.vision.FashionMnist.CLASS_NAMES
                    .get(label)
                    .equals(row.getAs("class_name"))) {
                correct++;
            }
        }
        // The card's test accuracy is 0.93; a broken pixel layout would be near chance (0.1).
        assertTrue(correct >= IMAGES * 3 / 4, "accuracy " + correct + "/" + IMAGES);
    }

    @Test
    void missingPixelsColumnIsAMalformedDataset() {
        Dataset<Row> bad = LocalSpark.get().range(3).toDF("id");
        MalformedDatasetException e =
                assertThrows(
                        MalformedDatasetException.class,
                        () -> new ImageClassifier("vit-moe-fashion-mnist", Map.of()).classify(bad));
        assertTrue(e.getMessage().contains("'pixels'"), e.getMessage());
    }

    @Test
    void nonSquarePixelsAreAMalformedDataset() {
        MalformedDatasetException e =
                assertThrows(
                        MalformedDatasetException.class, () -> ImageClassifier.image(new byte[10]));
        assertTrue(e.getMessage().contains("10 bytes"), e.getMessage());
    }
}
