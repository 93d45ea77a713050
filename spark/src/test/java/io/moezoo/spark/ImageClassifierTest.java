package io.moezoo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import io.moezoo.recipes.data.DataSets;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
    void pngImagesBinaryOrDatasetsStructGiveThePixelsClasses() throws Exception {
        List<Row> raw =
                JobInputs.images(LocalSpark.get(), DataSets.fashionMnist().toString())
                        .filter(functions.col("id").lt(12))
                        .collectAsList();
        List<Row> binary = new ArrayList<>();
        List<Row> struct = new ArrayList<>();
        List<Row> pixels = new ArrayList<>();
        for (Row row : raw) {
            byte[] p = row.getAs("pixels");
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, 28, 28, p);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            Object id = row.getAs("id");
            Object label = row.getAs("label");
            pixels.add(RowFactory.create(id, label, p));
            binary.add(RowFactory.create(id, label, png.toByteArray()));
            struct.add(
                    RowFactory.create(
                            id, label, RowFactory.create(png.toByteArray(), id + ".png")));
        }
        StructType head =
                new StructType().add("id", DataTypes.LongType).add("label", DataTypes.IntegerType);
        StructType hfImage =
                new StructType()
                        .add("bytes", DataTypes.BinaryType)
                        .add("path", DataTypes.StringType);
        ImageClassifier classifier = new ImageClassifier("vit-moe-fashion-mnist", Map.of());
        List<Row> want = classify(classifier, pixels, head.add("pixels", DataTypes.BinaryType));
        assertEquals(
                want.toString(),
                classify(classifier, binary, head.add("image", DataTypes.BinaryType)).toString());
        assertEquals(
                want.toString(),
                classify(classifier, struct, head.add("image", hfImage)).toString());
    }

    private static List<Row> classify(
            ImageClassifier classifier, List<Row> rows, StructType schema) {
        Dataset<Row> data = LocalSpark.get().createDataFrame(rows, schema).repartition(2);
        return classifier.classify(data).orderBy("id").collectAsList();
    }

    @Test
    void imageColumnOfAnotherTypeIsAMalformedDataset() {
        Dataset<Row> bad = LocalSpark.get().sql("SELECT 1L AS id, 'boot.png' AS image");
        MalformedDatasetException e =
                assertThrows(
                        MalformedDatasetException.class,
                        () -> new ImageClassifier("vit-moe-fashion-mnist", Map.of()).classify(bad));
        assertTrue(e.getMessage().contains("'image' is string"), e.getMessage());
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
