package io.moezoo.engine.kernel;

import io.moezoo.engine.tensor.WeightMatrix;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs batches of {@link Product}s, and loops of other independent units ({@link #forEachUnit},
 * e.g. attention's queries and heads), on the calling thread and the worker threads; both share
 * their units through {@link SharedUnits}.
 *
 * <p>The rows of all products of a batch are cut into units of 64 KB to 1 MB of weight bytes (about
 * an eighth of a thread's share of the batch; {@code ProductBatch}); each thread claims the units
 * of its own stripe in order, then helps with the others' ({@link SharedUnits}), so the work
 * balances itself and every weight byte is read by one thread only. Units are large because every
 * claim is an atomic instruction, which waits for the thread's loads in flight. {@code ProductRun}
 * (benchmarks module) measures one-token products on a checkpoint's mapped weights: on the 2-layer
 * OLMoE in Q8_0 (Java 25, 2 threads) the {@code lm_head} product read 8.8-8.9 GB/s with one shared
 * counter over 64 KB units and 12.3-12.6 GB/s with these stripes and units (together with {@code
 * Q8Vector}'s one-block loop), a decode step's expert batch 6.8-8.2 against 7.9-9.4 GB/s. For one
 * token a row is a dot product read in place; for several tokens a tile of rows is decoded once
 * into float32 and multiplied with every token.
 *
 * <p>Threads: {@code -Dmoezoo.engine.threads=N} (default: the available processors); the helpers
 * spin {@code moezoo.engine.spinMicros} (default 200) between batches before parking.
 */
public final class MatrixOps {

    /** Below this many weight bytes (times tokens) a batch runs on the calling thread. */
    private static final long PARALLEL_MIN_BYTES = 1L << 17;

    private static final int THREADS =
            Math.max(
                    1,
                    Integer.getInteger(
                            "moezoo.engine.threads", Runtime.getRuntime().availableProcessors()));

    private static final WorkerPool POOL =
            THREADS == 1
                    ? null
                    : new WorkerPool(
                            THREADS - 1,
                            1000L * Long.getLong("moezoo.engine.spinMicros", 200),
                            "moezoo-engine");

    private MatrixOps() {}

    /**
     * Returns the threads products run on (the caller included).
     *
     * @return the thread count
     */
    public static int threads() {
        return THREADS;
    }

    /**
     * Computes one product.
     *
     * @param product the product
     */
    public static void run(Product product) {
        run(List.of(product));
    }

    /**
     * Computes \(y = W x\) for one vector.
     *
     * @param w the weights
     * @param x {@code w.cols()} values
     * @param y receives {@code w.rows()} values
     */
    public static void multiply(WeightMatrix w, float[] x, float[] y) {
        run(List.of(Product.of(w, x, y)));
    }

    /** One unit of a {@link #forEachUnit} loop. */
    @FunctionalInterface
    public interface UnitKernel {

        /**
         * Computes a unit's values.
         *
         * @param unit the unit
         * @param out receives the unit's values (it may hold anything before)
         * @param at the first index written
         */
        void compute(int unit, float[] out, int at);
    }

    /**
     * Computes independent units of {@code width} values each, unit u into {@code out[outOffset +
     * u·width ...]}, on the calling thread and, when the work is large enough, the worker threads
     * too ({@link SharedUnits}).
     *
     * @param count the units
     * @param width the values a unit writes
     * @param out receives the values
     * @param outOffset where unit 0 starts
     * @param work an estimate of the multiply-adds of all units (below about 2^17 the units run on
     *     the calling thread: waking the workers would cost more)
     * @param kernel computes a unit; it must depend on nothing a unit writes
     */
    public static void forEachUnit(
            int count, int width, float[] out, int outOffset, long work, UnitKernel kernel) {
        new SharedUnits(count) {
            @Override
            void computeDirect(int u) {
                kernel.compute(u, out, outOffset + u * width);
            }

            @Override
            int asideSize(int u) {
                return width;
            }

            @Override
            void computeAside(int u, float[] buffer) {
                kernel.compute(u, buffer, 0);
            }

            @Override
            void copyOut(int u, float[] buffer) {
                System.arraycopy(buffer, 0, out, outOffset + u * width, width);
            }
        }.run(work < PARALLEL_MIN_BYTES ? null : POOL);
    }

    /**
     * Runs independent tasks on the calling thread and, when the work is large enough, the worker
     * threads too ({@link SharedUnits}). The caller may run again a task that a slow helper has
     * started (it takes over the units helpers still hold), so a task must be idempotent: write the
     * same values each time it runs, and read nothing that any task writes.
     *
     * @param count the tasks
     * @param work an estimate of the operations of all tasks (below about 2^17 they run on the
     *     calling thread)
     * @param task runs task u
     */
    public static void forEachTask(int count, long work, IntConsumer task) {
        new SharedUnits(count) {
            @Override
            void computeDirect(int u) {
                task.accept(u);
            }

            @Override
            int asideSize(int u) {
                return 0;
            }

            @Override
            void computeAside(int u, float[] buffer) {
                task.accept(u);
            }

            @Override
            void copyOut(int u, float[] buffer) {}
        }.run(work < PARALLEL_MIN_BYTES ? null : POOL);
    }

    /**
     * Computes independent products together.
     *
     * @param products the products
     */
    public static void run(List<Product> products) {
        if (products.isEmpty()) {
            return;
        }
        ProductBatch batch = ProductBatch.of(products);
        batch.run(batch.weightBytes() < PARALLEL_MIN_BYTES ? null : POOL);
    }
}
