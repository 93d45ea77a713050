package io.moezoo.engines.pytorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * \(y_r = \sum_k W_{rk} x_k\) for row-major float32 matrices in native-order buffers: each row is a
 * dot product with four independent vector accumulators (to hide FMA latency); the rows of a batch
 * of products are shared between the calling thread and {@link #threads()} - 1 helper threads.
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

    /**
     * How long a helper spins for the next batch before parking ({@code moezoo.matvec.spinMicros},
     * default 200 µs: longer than the host work between the batches of a decode step).
     */
    private static final long SPIN_NANOS = 1000L * Long.getLong("moezoo.matvec.spinMicros", 200);

    private static final SpinningWorkers HELPERS =
            THREADS == 1 ? null : new SpinningWorkers(THREADS - 1, SPIN_NANOS, "moezoo-matvec");

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
     * Computes a batch of products in one parallel region (see {@link ProductBatch}): the batch's
     * rows are cut into chunks of about {@value #CHUNK_BYTES} bytes of weights that the threads
     * claim one at a time. The calling thread starts at once and the helpers ({@link
     * SpinningWorkers}) join as soon as they see the batch, so a late helper costs no imbalance,
     * and several small products (the q, k and v projections, the experts of a token) share one
     * hand-off.
     *
     * @param products the products
     */
    static void multiply(List<Product> products) {
        ProductBatch batch = new ProductBatch(products, CHUNK_BYTES);
        boolean parallel = HELPERS != null && batch.elements() >= PARALLEL_MIN_ELEMENTS;
        if (parallel) {
            HELPERS.publish(batch::help);
        }
        batch.run();
    }

    /**
     * Rows [from, to) of y = W x, each a dot product with four independent vector accumulators (to
     * hide FMA latency); row r goes to {@code y[r + shift]}.
     */
    static void rows(ByteBuffer w, int base, float[] x, float[] y, int from, int to, int shift) {
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
            y[r + shift] = sum;
        }
    }

    private static FloatVector load(ByteBuffer w, int base, int column) {
        return FloatVector.fromByteBuffer(SPECIES, w, base + column * Float.BYTES, ORDER);
    }
}
