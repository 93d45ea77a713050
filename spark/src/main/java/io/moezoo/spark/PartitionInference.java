package io.moezoo.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a zoo model over a data set with {@code mapPartitions}: each partition takes one predictor
 * from its executor's shared model ({@link ExecutorModels}) and predicts its rows one by one, so
 * every result equals the single-JVM predictor's result for the same row. The output holds the
 * input's columns (less the codec's dropped ones) followed by the result columns.
 */
public final class PartitionInference {

    private PartitionInference() {}

    /**
     * Maps a data set through a model (lazily: nothing runs before an action).
     *
     * @param input the rows
     * @param spec the model
     * @param codec the family's row conversion
     * @param <I> the predictor's input type
     * @param <O> the predictor's output type
     * @return the results
     * @throws MalformedDatasetException if a result column's name is already an input column
     */
    public static <I, O> Dataset<Row> map(
            Dataset<Row> input, ZooModelSpec<I, O> spec, RowCodec<I, O> codec) {
        StructType in = input.schema();
        List<StructField> fields = new ArrayList<>();
        for (int i : kept(in, codec)) {
            fields.add(in.fields()[i]);
        }
        for (StructField result : codec.resultFields()) {
            if (Arrays.asList(in.fieldNames()).contains(result.name())) {
                throw new MalformedDatasetException(
                        "Input column '"
                                + result.name()
                                + "' clashes with a result column; rename it (input columns: "
                                + Arrays.toString(in.fieldNames())
                                + ")");
            }
            fields.add(result);
        }
        StructType out = new StructType(fields.toArray(new StructField[0]));
        int[] keptIndices = kept(in, codec);
        MapPartitionsFunction<Row, Row> predict =
                rows -> new PredictingIterator<>(rows, spec, codec, keptIndices);
        return input.mapPartitions(predict, Encoders.row(out));
    }

    /**
     * Predicts rows in this JVM, without Spark, with one predictor over the whole list: the
     * single-JVM baseline of the benchmark, with the same row conversion as {@link #map}.
     *
     * @param rows the rows
     * @param schema their schema
     * @param spec the model
     * @param codec the family's row conversion
     * @param <I> the predictor's input type
     * @param <O> the predictor's output type
     * @return the result rows, in input order
     */
    public static <I, O> List<Row> inJvm(
            List<Row> rows, StructType schema, ZooModelSpec<I, O> spec, RowCodec<I, O> codec) {
        List<Row> named = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Object[] values = new Object[row.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            named.add(new GenericRowWithSchema(values, schema));
        }
        List<Row> results = new ArrayList<>(rows.size());
        try (PredictingIterator<I, O> it =
                new PredictingIterator<>(named.iterator(), spec, codec, kept(schema, codec))) {
            it.forEachRemaining(results::add);
        }
        return results;
    }

    private static int[] kept(StructType in, RowCodec<?, ?> codec) {
        List<String> dropped = codec.droppedColumns();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < in.fields().length; i++) {
            if (!dropped.contains(in.fields()[i].name())) {
                kept.add(i);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }
}
