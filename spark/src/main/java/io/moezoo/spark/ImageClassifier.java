package io.moezoo.spark;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Classifies grayscale images with a zoo vision model (e.g. {@code vit-moe-fashion-mnist}).
 *
 * <p>Input: a column {@code pixels} (binary) holding a square 8-bit grayscale image, row-major, 0 =
 * black (Fashion-MNIST's IDX layout: 784 bytes for 28×28); any other columns are kept. Output: the
 * kept columns, then {@code class_name} (string, the best class), {@code probability} (double),
 * {@code top_classes} (array of string) and {@code top_probabilities} (array of double), the
 * model's top-k classes in its order.
 */
public final class ImageClassifier {

    /** The input column. */
    public static final String PIXELS = "pixels";

    private final ZooModelSpec<Image, Classifications> spec;

    /**
     * Creates a classifier over a zoo model.
     *
     * @param modelId the zoo model id
     * @param arguments translator arguments (e.g. {@code topK})
     */
    public ImageClassifier(String modelId, Map<String, String> arguments) {
        spec = new ZooModelSpec<>(modelId, Image.class, Classifications.class, arguments);
    }

    /**
     * Returns the model this classifier loads on each executor.
     *
     * @return the spec
     */
    public ZooModelSpec<Image, Classifications> spec() {
        return spec;
    }

    /**
     * Classifies every row (lazily).
     *
     * @param images rows with a {@code pixels} or {@code image} column ({@link ImageColumn})
     * @return the results
     * @throws MalformedDatasetException if neither is there with a usable type
     */
    public Dataset<Row> classify(Dataset<Row> images) {
        return PartitionInference.map(images, spec, new Codec(ImageColumn.of(images)));
    }

    /**
     * Turns square grayscale pixels into a DJL image ({@link ImageColumn#pixels}).
     *
     * @param pixels row-major 8-bit grayscale pixels
     * @return the image
     * @throws MalformedDatasetException if the pixels do not form a non-empty square
     */
    public static Image image(byte[] pixels) {
        return ImageColumn.pixels(pixels);
    }

    /**
     * Returns this family's row conversion (for {@link PartitionInference#inJvm}).
     *
     * @return the codec
     */
    static RowCodec<Image, Classifications> codec() {
        return new Codec(ImageColumn.PIXELS);
    }

    private static final class Codec implements RowCodec<Image, Classifications> {

        private static final long serialVersionUID = 1L;

        private final ImageColumn column;

        Codec(ImageColumn column) {
            this.column = column;
        }

        @Override
        public List<String> droppedColumns() {
            return List.of(column.column());
        }

        @Override
        public List<StructField> resultFields() {
            return List.of(
                    DataTypes.createStructField("class_name", DataTypes.StringType, false),
                    DataTypes.createStructField("probability", DataTypes.DoubleType, false),
                    DataTypes.createStructField(
                            "top_classes", DataTypes.createArrayType(DataTypes.StringType), false),
                    DataTypes.createStructField(
                            "top_probabilities",
                            DataTypes.createArrayType(DataTypes.DoubleType),
                            false));
        }

        @Override
        public Image input(Row row, NDManager manager) {
            return column.read(row);
        }

        @Override
        public Object[] results(Classifications output) {
            List<Classifications.Classification> top = output.topK();
            String[] names = new String[top.size()];
            Double[] probabilities = new Double[top.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = top.get(i).getClassName();
                probabilities[i] = top.get(i).getProbability();
            }
            Classifications.Classification best = output.best();
            return new Object[] {best.getClassName(), best.getProbability(), names, probabilities};
        }
    }
}
