package io.moezoo.spark.bench;

import io.moezoo.recipes.data.DataSets;
import io.moezoo.spark.Family;
import io.moezoo.spark.JobInputs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One family's batch in the benchmark: its rows (held on the driver, so every mode predicts the
 * same inputs), their schema, the model and its arguments.
 *
 * @param family the family
 * @param rows the input rows
 * @param schema their schema
 * @param arguments the translator arguments
 * @param unit what one row is, for the table
 */
record BenchWorkload(
        Family family,
        List<Row> rows,
        StructType schema,
        Map<String, String> arguments,
        String unit) {

    private static final String[] PROMPTS = {
        "The committee met and",
        "The jury said",
        "She opened the door and",
        "In the spring the farmers",
        "The president told reporters",
        "After the game the players",
        "The new school building",
        "It was late in the evening when"
    };

    private static final String[] GOOD = {
        " approved the plan.", " went home early.", " said nothing at all.", " began to work."
    };

    private static final String[] BAD = {
        " plan the approved.", " early home went.", " all at nothing said.", " work to began."
    };

    /**
     * Builds the four workloads.
     *
     * @param spark a session to read the data sets with
     * @param images how many Fashion-MNIST test images
     * @param seriesRepeats how many times the vega catalog's series are forecast
     * @param promptCount how many prompts are continued
     * @param newTokens tokens generated per prompt
     * @return the workloads, in family order
     * @throws IOException if a data set is missing
     */
    static List<BenchWorkload> all(
            SparkSession spark, int images, int seriesRepeats, int promptCount, int newTokens)
            throws IOException {
        List<BenchWorkload> list = new ArrayList<>();
        Dataset<Row> fashion =
                JobInputs.read(spark, Family.VISION, DataSets.fashionMnist().toString())
                        .filter(functions.col("id").lt(images));
        list.add(
                new BenchWorkload(
                        Family.VISION,
                        fashion.collectAsList(),
                        fashion.schema(),
                        Map.of(),
                        "image"));
        Dataset<Row> vega =
                JobInputs.read(
                        spark,
                        Family.TIME_SERIES,
                        DataSets.npmModules().resolve("vega-datasets").toString());
        List<Row> series = new ArrayList<>();
        for (int r = 0; r < seriesRepeats; r++) {
            series.addAll(vega.collectAsList());
        }
        list.add(
                new BenchWorkload(
                        Family.TIME_SERIES,
                        series,
                        vega.schema(),
                        Map.of("prediction_length", "12"),
                        "series"));
        List<Row> pairs = new ArrayList<>();
        for (String prompt : PROMPTS) {
            for (int g = 0; g < GOOD.length; g++) {
                for (int b = 0; b < BAD.length; b++) {
                    pairs.add(RowFactory.create((long) pairs.size(), prompt, GOOD[g], BAD[b]));
                }
            }
        }
        list.add(
                new BenchWorkload(
                        Family.REWARD,
                        pairs,
                        new StructType()
                                .add("id", DataTypes.LongType)
                                .add("prompt", DataTypes.StringType)
                                .add("chosen", DataTypes.StringType)
                                .add("rejected", DataTypes.StringType),
                        Map.of(),
                        "pair"));
        List<Row> prompts = new ArrayList<>();
        for (int i = 0; i < promptCount; i++) {
            prompts.add(RowFactory.create((long) i, PROMPTS[i % PROMPTS.length]));
        }
        list.add(
                new BenchWorkload(
                        Family.LANGUAGE,
                        prompts,
                        new StructType()
                                .add("id", DataTypes.LongType)
                                .add("prompt", DataTypes.StringType),
                        Map.of("maxNewTokens", String.valueOf(newTokens)),
                        "prompt (" + newTokens + " tokens)"));
        return list;
    }
}
