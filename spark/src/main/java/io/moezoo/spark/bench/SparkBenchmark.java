package io.moezoo.spark.bench;

import io.moezoo.spark.ExecutorModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Throughput of the Spark batch job against the single-JVM predictor, for every family: the same
 * rows predicted (1) in this JVM by one predictor, (2) by Spark {@code local[1]} and (3) by Spark
 * {@code local[2]}, both over the same {@value #PARTITIONS} cached partitions. Models are loaded
 * and warmed by an uncounted first round; rounds are interleaved (the order of the three modes
 * rotates every round) and the table reports each mode's median rows per second.
 *
 * <p>{@code SparkBenchmark [rounds] [images] [seriesRepeats] [prompts] [newTokens]}, defaults 3,
 * 2000, 4, 16, 16 (see spark/README.md for the command).
 */
public final class SparkBenchmark {

    private static final int PARTITIONS = 4;
    private static final List<String> MODES = List.of("single JVM", "local[1]", "local[2]");

    private SparkBenchmark() {}

    /**
     * Runs the benchmark and prints the table.
     *
     * @param args {@code [rounds] [images] [seriesRepeats] [prompts] [newTokens]}
     * @throws IOException if a data set is missing
     */
    public static void main(String[] args) throws IOException {
        int rounds = arg(args, 0, 3);
        List<BenchWorkload> workloads;
        try (SparkSession spark = session(1)) {
            workloads =
                    BenchWorkload.all(
                            spark,
                            arg(args, 1, 2000),
                            arg(args, 2, 4),
                            arg(args, 3, 16),
                            arg(args, 4, 16));
        }
        String loadBefore = loadAverage();
        Map<String, double[][]> rates = new LinkedHashMap<>();
        Map<String, double[][]> cpuRates = new LinkedHashMap<>();
        for (BenchWorkload w : workloads) {
            rates.put(w.family().id(), new double[MODES.size()][rounds]);
            cpuRates.put(w.family().id(), new double[MODES.size()][rounds]);
        }
        for (int round = -1; round < rounds; round++) {
            for (int k = 0; k < MODES.size(); k++) {
                int mode = Math.floorMod(k + round, MODES.size());
                List<double[]> measured = runMode(mode, workloads);
                if (round >= 0) {
                    for (int f = 0; f < workloads.size(); f++) {
                        String id = workloads.get(f).family().id();
                        rates.get(id)[mode][round] = measured.get(f)[0];
                        cpuRates.get(id)[mode][round] = measured.get(f)[1];
                    }
                }
                System.err.printf(
                        "round %d %s done %s%n", round, MODES.get(mode), java.time.LocalTime.now());
            }
        }
        System.out.println("Rows per second (wall clock):");
        System.out.println(table(workloads, rates, rounds));
        System.out.println(
                "Rows per CPU second of this process (all its threads, GC and JIT included):");
        System.out.println(table(workloads, cpuRates, rounds));
        System.out.printf(
                "%d cores, OMP_NUM_THREADS=%s, load average before %s, after %s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getenv("OMP_NUM_THREADS"),
                loadBefore,
                loadAverage());
        ExecutorModels.closeAll();
    }

    private static List<double[]> runMode(int mode, List<BenchWorkload> workloads) {
        List<double[]> measured = new ArrayList<>();
        if (mode == 0) {
            for (BenchWorkload w : workloads) {
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                List<Row> out =
                        w.family()
                                .runInJvm(
                                        w.rows(),
                                        w.schema(),
                                        w.family().defaultModel(),
                                        w.arguments());
                measured.add(new double[] {rate(out.size(), t0), rate(out.size(), c0, cpuNanos())});
            }
            return measured;
        }
        try (SparkSession spark = session(mode)) {
            for (BenchWorkload w : workloads) {
                Dataset<Row> input =
                        spark.createDataFrame(w.rows(), w.schema()).repartition(PARTITIONS).cache();
                input.count();
                Dataset<Row> out = w.family().run(input, w.family().defaultModel(), w.arguments());
                long t0 = System.nanoTime();
                long c0 = cpuNanos();
                out.foreachPartition(
                        (ForeachPartitionFunction<Row>) it -> it.forEachRemaining(r -> {}));
                long c1 = cpuNanos();
                measured.add(
                        new double[] {rate(w.rows().size(), t0), rate(w.rows().size(), c0, c1)});
                input.unpersist();
            }
        }
        return measured;
    }

    private static SparkSession session(int threads) {
        return SparkSession.builder()
                .master("local[" + threads + "]")
                .appName("moe-zoo-spark-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(PARTITIONS))
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    private static String table(
            List<BenchWorkload> workloads, Map<String, double[][]> rates, int rounds) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                        "| family | model | batch | single JVM /s | Spark local[1] /s | Spark local[2] /s")
                .append(" | local[2] / local[1] |\n|---|---|---|---|---|---|---|\n");
        for (BenchWorkload w : workloads) {
            double[][] r = rates.get(w.family().id());
            double[] median = new double[MODES.size()];
            for (int m = 0; m < median.length; m++) {
                median[m] = median(r[m]);
            }
            sb.append(
                    String.format(
                            "| %s | %s | %d × %s | %.1f | %.1f | %.1f | %.2f |%n",
                            w.family().id(),
                            w.family().defaultModel(),
                            w.rows().size(),
                            w.unit(),
                            median[0],
                            median[1],
                            median[2],
                            median[2] / median[1]));
        }
        sb.append(String.format("%nMedian of %d interleaved rounds; per round:%n", rounds));
        for (BenchWorkload w : workloads) {
            double[][] r = rates.get(w.family().id());
            for (int m = 0; m < MODES.size(); m++) {
                sb.append(
                        String.format(
                                "  %-11s %-10s %s%n",
                                w.family().id(),
                                MODES.get(m),
                                Arrays.toString(
                                        Arrays.stream(r[m])
                                                .map(v -> Math.round(v * 10) / 10.0)
                                                .toArray())));
            }
        }
        return sb.toString();
    }

    private static double rate(int rows, long t0) {
        return rate(rows, t0, System.nanoTime());
    }

    private static double rate(int rows, long from, long to) {
        return rows / ((to - from) / 1e9);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
