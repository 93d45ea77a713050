package io.moezoo.engines.pytorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * \(y_r = \sum_k W_{rk} x_k\) for a row-major float32 matrix in a native-order buffer: each row is
 * a dot product with four independent vector accumulators (to hide FMA latency), rows are split
 * across a small pool of daemon threads, the caller computing the last share itself.
 */
final class VectorGemv {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Below this many entries the product runs on the calling thread only. */
    private static final long PARALLEL_MIN_ELEMENTS = 1L << 18;

    private static final int THREADS =
            Math.max(
                    1,
                    Integer.getInteger(
                            "moezoo.matvec.threads", Runtime.getRuntime().availableProcessors()));

    private static final ExecutorService POOL =
            THREADS == 1
                    ? null
                    : Executors.newFixedThreadPool(
                            THREADS - 1,
                            r -> {
                                Thread t = new Thread(r, "moezoo-matvec");
                                t.setDaemon(true);
                                return t;
                            });

    private VectorGemv() {}

    static int threads() {
        return THREADS;
    }

    /** Writes y = W x into y (rows floats, native order). */
    static void multiply(ByteBuffer w, float[] x, ByteBuffer y, int rows, int columns) {
        int parts = (long) rows * columns < PARALLEL_MIN_ELEMENTS ? 1 : Math.min(THREADS, rows);
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 0; p < parts - 1; p++) {
            int from = (int) ((long) rows * p / parts);
            int to = (int) ((long) rows * (p + 1) / parts);
            futures.add(POOL.submit(() -> rows(w, x, y, columns, from, to)));
        }
        rows(w, x, y, columns, (int) ((long) rows * (parts - 1) / parts), rows);
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during a matrix-vector product", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Matrix-vector product failed", e.getCause());
        }
    }

    /** Rows [from, to) of y = W x. */
    static void rows(ByteBuffer w, float[] x, ByteBuffer y, int columns, int from, int to) {
        int lanes = SPECIES.length();
        int unrolled = columns - columns % (4 * lanes);
        int vectored = columns - columns % lanes;
        for (int r = from; r < to; r++) {
            int base = r * columns * Float.BYTES;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            int k = 0;
            for (; k < unrolled; k += 4 * lanes) {
                a0 = load(w, base, k).fma(FloatVector.fromArray(SPECIES, x, k), a0);
                a1 = load(w, base, k + lanes).fma(FloatVector.fromArray(SPECIES, x, k + lanes), a1);
                a2 =
                        load(w, base, k + 2 * lanes)
                                .fma(FloatVector.fromArray(SPECIES, x, k + 2 * lanes), a2);
                a3 =
                        load(w, base, k + 3 * lanes)
                                .fma(FloatVector.fromArray(SPECIES, x, k + 3 * lanes), a3);
            }
            for (; k < vectored; k += lanes) {
                a0 = load(w, base, k).fma(FloatVector.fromArray(SPECIES, x, k), a0);
            }
            float sum = a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
            for (; k < columns; k++) {
                sum += w.getFloat(base + k * Float.BYTES) * x[k];
            }
            y.putFloat(r * Float.BYTES, sum);
        }
    }

    private static FloatVector load(ByteBuffer w, int base, int column) {
        return FloatVector.fromByteBuffer(SPECIES, w, base + column * Float.BYTES, ORDER);
    }
}
