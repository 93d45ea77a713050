package io.moezoo.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The batch job: {@code MoeZooSparkJob <family> INPUT OUTPUT [--model ID] [--arg KEY=VALUE]...
 * [--partitions N]}. Reads INPUT ({@link JobInputs}), runs the family's zoo model over it with one
 * model per executor and one predictor per partition, and writes OUTPUT as JSON lines (Parquet when
 * OUTPUT ends with {@code .parquet}). The master comes from {@code spark-submit}; run directly, the
 * job uses {@code local[*]}.
 */
public final class MoeZooSparkJob {

    private MoeZooSparkJob() {}

    /**
     * The parsed command line.
     *
     * @param family the family
     * @param input INPUT
     * @param output OUTPUT
     * @param model the zoo model id
     * @param arguments translator arguments
     * @param partitions the number of partitions, or 0 to keep the input's
     */
    public record Options(
            Family family,
            String input,
            String output,
            String model,
            Map<String, String> arguments,
            int partitions) {

        /**
         * Parses the command line.
         *
         * @param args {@code <family> INPUT OUTPUT [options]}
         * @return the options, with the family's defaults filled in ({@code prediction_length} 12
         *     for time series, {@code maxNewTokens} 32 for language)
         * @throws UnknownFamilyException if the family is unknown
         * @throws IllegalArgumentException if an option is malformed or the model is of another
         *     family
         */
        public static Options parse(String... args) {
            if (args.length < 3) {
                throw new IllegalArgumentException(
                        "usage: MoeZooSparkJob <vision|time-series|reward|language> INPUT OUTPUT"
                                + " [--model ID] [--arg KEY=VALUE]... [--partitions N]");
            }
            Family family = Family.parse(args[0]);
            String model = family.defaultModel();
            Map<String, String> arguments = new LinkedHashMap<>();
            if (family == Family.TIME_SERIES) {
                arguments.put("prediction_length", "12");
            }
            int partitions = 0;
            for (int i = 3; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option " + args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--model" -> model = value;
                    case "--partitions" -> partitions = positive(value);
                    case "--arg" -> {
                        int eq = value.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException(
                                    "--arg needs KEY=VALUE, got '" + value + "'");
                        }
                        arguments.put(value.substring(0, eq), value.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]);
                }
            }
            family.requireModel(model);
            return new Options(family, args[1], args[2], model, arguments, partitions);
        }

        private static int positive(String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    "--partitions needs a positive integer, got " + value);
        }
    }

    /**
     * Runs the job in a session (the caller owns the session).
     *
     * @param spark the session
     * @param options the job
     * @return the number of rows written
     * @throws MalformedDatasetException if the input is unreadable or lacks the family's columns
     */
    public static long run(SparkSession spark, Options options) {
        Dataset<Row> input = JobInputs.read(spark, options.family(), options.input());
        if (options.partitions() > 0) {
            input = input.repartition(options.partitions());
        }
        Dataset<Row> results =
                options.family().run(input, options.model(), options.arguments()).cache();
        if (options.output().endsWith(".parquet")) {
            results.write().mode(SaveMode.ErrorIfExists).parquet(options.output());
        } else {
            results.write().mode(SaveMode.ErrorIfExists).json(options.output());
        }
        long count = results.count();
        results.unpersist();
        return count;
    }

    /**
     * The {@code spark-submit} entry point.
     *
     * @param args {@code <family> INPUT OUTPUT [options]}
     */
    public static void main(String[] args) {
        Options options = Options.parse(args);
        SparkConf conf = new SparkConf().setAppName("moe-zoo " + options.family().id());
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        try (SparkSession spark = SparkSession.builder().config(conf).getOrCreate()) {
            long t0 = System.nanoTime();
            long rows = run(spark, options);
            System.out.printf(
                    "%s: %d rows with %s -> %s in %.1f s%n",
                    options.family().id(),
                    rows,
                    options.model(),
                    options.output(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
