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
     * Computes a batch of products in one parallel region: the batch's rows are split across the
     * threads in shares of equal weight size, so that several small products (the q, k and v
     * projections, the experts of a token) cost one hand-off instead of one each.
     *
     * @param products the products
     */
    static void multiply(List<Product> products) {
        long total = 0;
        for (Product p : products) {
            total += p.elements();
        }
        int parts = total < PARALLEL_MIN_ELEMENTS ? 1 : THREADS;
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int part = 0; part < parts - 1; part++) {
            long from = total * part / parts;
            long to = total * (part + 1) / parts;
            futures.add(POOL.submit(() -> share(products, from, to)));
        }
        share(products, total * (parts - 1) / parts, total);
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

    /**
     * Computes the rows whose first weight element lies in [from, to) of the batch's elements
     * counted product after product.
     */
    private static void share(List<Product> products, long from, long to) {
        long start = 0;
        for (Product p : products) {
            long columns = p.x().length;
            long end = start + p.elements();
            if (end > from && start < to) {
                int first = (int) Math.max(0, ceilDiv(from - start, columns));
                int last = (int) Math.min(p.y().length, ceilDiv(to - start, columns));
                rows(p.w(), p.offset(), p.x(), p.y(), first, last);
            }
            start = end;
        }
    }

    private static long ceilDiv(long a, long b) {
        return a <= 0 ? 0 : (a + b - 1) / b;
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
