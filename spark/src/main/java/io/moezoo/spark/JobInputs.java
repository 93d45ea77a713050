package io.moezoo.spark;

import io.moezoo.recipes.timeseries.SeriesFiles;
import io.moezoo.recipes.timeseries.VegaCatalog;
import io.moezoo.recipes.timeseries.VegaSeries;
import io.moezoo.recipes.vision.IdxFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the job's input of each family into the data set its API takes.
 *
 * <table>
 *   <caption>Inputs</caption>
 *   <tr><th>family</th><th>INPUT</th><th>columns</th></tr>
 *   <tr><td>vision</td><td>a directory of Fashion-MNIST IDX files ({@code t10k-*}, gzipped or
 *       not), an {@code *-images-idx3-ubyte[.gz]} file, or Parquet ({@code *.parquet}) with a
 *       binary {@code pixels} column</td><td>id, pixels[, label]</td></tr>
 *   <tr><td>time-series</td><td>the {@code vega-datasets} package directory (or its {@code
 *       data/}): every series of the zoo's vega catalog; or Parquet/JSON lines with {@code values}
 *       </td><td>id, values</td></tr>
 *   <tr><td>reward</td><td>JSON lines {@code {"prompt","chosen","rejected"}}</td>
 *       <td>as in the file</td></tr>
 *   <tr><td>language</td><td>a text file, one prompt per line (blank lines skipped)</td>
 *       <td>id, prompt</td></tr>
 * </table>
 */
public final class JobInputs {

    private JobInputs() {}

    /**
     * Reads a family's input.
     *
     * @param spark the session
     * @param family the family
     * @param input the path
     * @return the rows
     * @throws MalformedDatasetException if the input is missing or unreadable, naming it
     */
    public static Dataset<Row> read(SparkSession spark, Family family, String input) {
        try {
            return switch (family) {
                case VISION -> images(spark, input);
                case TIME_SERIES -> series(spark, input);
                case REWARD -> spark.read().option("mode", "FAILFAST").json(input);
                case LANGUAGE -> prompts(spark, input);
            };
        } catch (Exception e) { // Spark's Scala code throws SparkException undeclared
            if (e instanceof MalformedDatasetException m) {
                throw m;
            }
            throw new MalformedDatasetException(
                    "Cannot read the " + family.id() + " input " + input + ": " + e.getMessage(),
                    e);
        }
    }

    static Dataset<Row> images(SparkSession spark, String input) throws IOException {
        if (input.endsWith(".parquet")) {
            return spark.read().parquet(input);
        }
        Path path = Path.of(input);
        Path images = Files.isDirectory(path) ? idx(path, "t10k-images-idx3-ubyte") : path;
        Path labels = labelsBeside(images);
        IdxFile pixels = IdxFile.read(images, 3);
        int count = pixels.dims()[0];
        int size = pixels.dims()[1] * pixels.dims()[2];
        byte[] y = labels == null ? null : IdxFile.read(labels, 1).data();
        if (y != null && y.length != count) {
            throw new MalformedDatasetException(
                    labels
                            + " holds "
                            + y.length
                            + " labels for "
                            + count
                            + " images in "
                            + images);
        }
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[size];
            System.arraycopy(pixels.data(), i * size, p, 0, size);
            rows.add(
                    y == null
                            ? RowFactory.create((long) i, p)
                            : RowFactory.create((long) i, p, y[i] & 0xFF));
        }
        StructType schema =
                new StructType()
                        .add("id", DataTypes.LongType, false)
                        .add(ImageClassifier.PIXELS, DataTypes.BinaryType, false);
        if (y != null) {
            schema = schema.add("label", DataTypes.IntegerType, false);
        }
        return spark.createDataFrame(rows, schema);
    }

    static Dataset<Row> series(SparkSession spark, String input) throws IOException {
        if (input.endsWith(".parquet")) {
            return spark.read().parquet(input);
        }
        if (input.endsWith(".json") || input.endsWith(".jsonl")) {
            return spark.read().option("mode", "FAILFAST").json(input);
        }
        Path dir = Path.of(input);
        if (Files.isDirectory(dir.resolve("data"))) {
            dir = dir.resolve("data");
        }
        if (!Files.isDirectory(dir)) {
            throw new MalformedDatasetException(
                    "The time-series input must be the vega-datasets directory, *.parquet or"
                            + " *.jsonl, got "
                            + input);
        }
        List<VegaSeries> catalog = new ArrayList<>(VegaCatalog.training());
        catalog.addAll(VegaCatalog.zeroShot());
        List<Row> rows = new ArrayList<>();
        for (VegaSeries s : catalog) {
            float[] v =
                    SeriesFiles.read(dir.resolve(s.file()), s.field(), s.keyField(), s.keyValue());
            Float[] boxed = new Float[v.length];
            for (int i = 0; i < v.length; i++) {
                boxed[i] = v[i];
            }
            rows.add(RowFactory.create(s.name(), boxed));
        }
        StructType schema =
                new StructType()
                        .add("id", DataTypes.StringType, false)
                        .add(
                                Forecaster.VALUES,
                                DataTypes.createArrayType(DataTypes.FloatType, false),
                                false);
        return spark.createDataFrame(rows, schema);
    }

    static Dataset<Row> prompts(SparkSession spark, String input) {
        return spark.read()
                .text(input)
                .withColumnRenamed("value", TextGenerator.PROMPT)
                .filter(functions.trim(functions.col(TextGenerator.PROMPT)).notEqual(""))
                .withColumn("id", functions.monotonically_increasing_id())
                .select("id", TextGenerator.PROMPT);
    }

    private static Path idx(Path dir, String name) throws IOException {
        for (String candidate : new String[] {name + ".gz", name}) {
            if (Files.isRegularFile(dir.resolve(candidate))) {
                return dir.resolve(candidate);
            }
        }
        throw new MalformedDatasetException(
                dir + " holds no " + name + "[.gz] (Fashion-MNIST's test images)");
    }

    private static Path labelsBeside(Path images) {
        String name = images.getFileName().toString().replace("-images-idx3-", "-labels-idx1-");
        Path labels = images.resolveSibling(name);
        return name.equals(images.getFileName().toString()) || !Files.isRegularFile(labels)
                ? null
                : labels;
    }
}
