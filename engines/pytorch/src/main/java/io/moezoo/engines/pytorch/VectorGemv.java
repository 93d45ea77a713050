package io.moezoo.engines.pytorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * \(y_r = \sum_k W_{rk} x_k\) for row-major float32 matrices in native-order buffers: each row is a
 * dot product with four independent vector accumulators (to hide FMA latency); the rows of a batch
 * of products are split across a small pool of daemon threads, the caller computing the last share
 * itself.
 */
final class VectorGemv {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Below this many entries the product runs on the calling thread only. */
    private static final long PARALLEL_MIN_ELEMENTS = 1L << 18;

    /** The weight bytes of one unit of work that a thread claims. */
    private static final int CHUNK_BYTES = 1 << 18;

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

    /**
     * One product of a batch: {@code y = W x} for the {@code y.length} rows of W that start at byte
     * {@code offset} of w (row-major, {@code x.length} floats per row, native order).
     *
     * @param w the weight buffer
     * @param offset the byte offset of the first row
     * @param x the vector
     * @param y receives the products
     */
    record Product(ByteBuffer w, int offset, float[] x, float[] y) {

        Product {
            if (offset < 0 || offset + (long) y.length * x.length * Float.BYTES > w.capacity()) {
                throw new IllegalArgumentException(
                        "Rows of " + x.length + " floats at byte " + offset + " exceed the buffer");
            }
        }

        long elements() {
            return (long) y.length * x.length;
        }
    }

    /**
     * Computes a batch of products in one parallel region. The batch's rows are cut into chunks of
     * about {@value #CHUNK_BYTES} bytes of weights that the threads claim one at a time: the
     * calling thread starts at once and the pool's threads join as soon as they wake, so a late
     * wake-up costs no imbalance (and the caller never waits for one), and several small products
     * (the q, k and v projections, the experts of a token) share one hand-off.
     *
     * @param products the products
     */
    static void multiply(List<Product> products) {
        List<int[]> chunks = new ArrayList<>(); // {product, first row, end row}
        long total = 0;
        for (int p = 0; p < products.size(); p++) {
            Product product = products.get(p);
            total += product.elements();
            int rows = product.y().length;
            int step = Math.max(1, CHUNK_BYTES / (product.x().length * Float.BYTES));
            for (int r = 0; r < rows; r += step) {
                chunks.add(new int[] {p, r, Math.min(rows, r + step)});
            }
        }
        int count = chunks.size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable work =
                () -> {
                    for (int c = next.getAndIncrement(); c < count; c = next.getAndIncrement()) {
                        try {
                            int[] chunk = chunks.get(c);
                            Product p = products.get(chunk[0]);
                            rows(p.w(), p.offset(), p.x(), p.y(), chunk[1], chunk[2]);
                        } catch (RuntimeException | Error e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            finished.incrementAndGet();
                        }
                    }
                };
        int helpers = total < PARALLEL_MIN_ELEMENTS ? 0 : THREADS - 1;
        for (int h = 0; h < helpers; h++) {
            POOL.execute(work);
        }
        work.run();
        // Every chunk is claimed; a helper may still be finishing one (a few microseconds). A
        // helper that wakes up later finds nothing left and returns.
        for (int spins = 1; finished.get() < count; spins++) {
            if (spins % 1024 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Matrix-vector product failed", failure.get());
        }
    }

    /**
     * Rows [from, to) of y = W x, each a dot product with four independent vector accumulators (to
     * hide FMA latency).
     */
    static void rows(ByteBuffer w, int base, float[] x, float[] y, int from, int to) {
        int columns = x.length;
        int lanes = SPECIES.length();
        int unrolled = columns - columns % (4 * lanes);
        int vectored = columns - columns % lanes;
        for (int r = from; r < to; r++) {
            int b = base + r * columns * Float.BYTES;
            FloatVector a0 = FloatVector.zero(SPECIES);
            FloatVector a1 = FloatVector.zero(SPECIES);
            FloatVector a2 = FloatVector.zero(SPECIES);
            FloatVector a3 = FloatVector.zero(SPECIES);
            int k = 0;
            for (; k < unrolled; k += 4 * lanes) {
                a0 = load(w, b, k).fma(FloatVector.fromArray(SPECIES, x, k), a0);
                a1 = load(w, b, k + lanes).fma(FloatVector.fromArray(SPECIES, x, k + lanes), a1);
                a2 =
                        load(w, b, k + 2 * lanes)
                                .fma(FloatVector.fromArray(SPECIES, x, k + 2 * lanes), a2);
                a3 =
                        load(w, b, k + 3 * lanes)
                                .fma(FloatVector.fromArray(SPECIES, x, k + 3 * lanes), a3);
            }
            for (; k < vectored; k += lanes) {
                a0 = load(w, b, k).fma(FloatVector.fromArray(SPECIES, x, k), a0);
            }
            float sum = a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
            for (; k < columns; k++) {
                sum += w.getFloat(b + k * Float.BYTES) * x[k];
            }
            y[r] = sum;
        }
    }

    private static FloatVector load(ByteBuffer w, int base, int column) {
        return FloatVector.fromByteBuffer(SPECIES, w, base + column * Float.BYTES, ORDER);
    }
}
