package io.moezoo.bench;

import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.tensor.Codecs;
import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.engine.tensor.WeightFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The read bandwidth of this machine right now, in its own process: all threads (as many as the
 * engine uses) sum float32 runs of a memory-mapped file (its pages already cached by a previous
 * read), each over its own part; prints one JSON line with the median and the best of the passes in
 * bytes per second. The decode bound of a model is this bandwidth divided by the bytes a token
 * reads.
 *
 * <p>Usage: {@code BandwidthRun FILE [PASSES]}.
 */
public final class BandwidthRun {

    private static final long MAX_BYTES = 1L << 30;

    private BandwidthRun() {}

    /**
     * Runs the measurement.
     *
     * @param args FILE [PASSES]
     * @throws Exception if the file cannot be read
     */
    public static void main(String[] args) throws Exception {
        Path file = Paths.get(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int threads = MatrixOps.threads();
        ByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = Math.min(MAX_BYTES, channel.size()) / (threads * 4096L) * (threads * 4096L);
            mapped =
                    channel.map(FileChannel.MapMode.READ_ONLY, 0, size)
                            .order(ByteOrder.LITTLE_ENDIAN);
        }
        RowCodec codec = Codecs.of(WeightFormat.F32);
        StoredBytes bytes = StoredBytes.of(mapped);
        int part = mapped.capacity() / threads;
        int chunk = 1 << 14;
        float[] ones = new float[chunk];
        Arrays.fill(ones, 1f);
        double[] rates = new double[passes];
        double[] sink = new double[threads];
        for (int p = 0; p < passes; p++) {
            Thread[] workers = new Thread[threads];
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers[t] =
                        new Thread(
                                () -> {
                                    double sum = 0;
                                    for (int at = id * part;
                                            at + 4 * chunk <= (id + 1) * part;
                                            at += 4 * chunk) {
                                        sum += codec.dot(bytes, at, ones, 0, chunk);
                                    }
                                    sink[id] += sum;
                                });
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            rates[p] = (double) part * threads / ((System.nanoTime() - start) / 1e9);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(
                "{\"bandwidth_median\": %.0f, \"bandwidth_best\": %.0f, \"threads\": %d, \"sink\": %g}%n",
                sorted[passes / 2], sorted[passes - 1], threads, sink[0]);
    }
}
