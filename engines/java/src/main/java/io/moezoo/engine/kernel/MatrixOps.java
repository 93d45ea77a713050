package io.moezoo.engine.kernel;

import io.moezoo.engine.tensor.ArrayDot;
import io.moezoo.engine.tensor.Codecs;
import io.moezoo.engine.tensor.Mxfp4Codec;
import io.moezoo.engine.tensor.WeightMatrix;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs batches of {@link Product}s on the calling thread and the worker threads.
 *
 * <p>The rows of all products of a batch are cut into units of about {@value #UNIT_BYTES} weight
 * bytes; threads claim units from a shared counter, so the work balances itself and every weight
 * byte is read by one thread only. For one token a row is a dot product read in place; for several
 * tokens a tile of rows is decoded once into float32 and multiplied with every token.
 *
 * <p>Threads: {@code -Dmoezoo.engine.threads=N} (default: the available processors); the helpers
 * spin {@code moezoo.engine.spinMicros} (default 200) between batches before parking.
 */
public final class MatrixOps {

    /** Weight bytes per unit of work. */
    private static final int UNIT_BYTES = 1 << 16;

    /** Below this many weight bytes (times tokens) a batch runs on the calling thread. */
    private static final long PARALLEL_MIN_BYTES = 1L << 17;

    /** Up to this many tokens a product reads its rows in place for every token. */
    private static final int IN_PLACE_TOKENS = Integer.getInteger("moezoo.engine.inPlaceTokens", 3);

    /** Rows decoded together for a multi-token product. */
    private static final int TILE_ROWS = 8;

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

    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[0]);

    private static final ThreadLocal<float[]> OUT = ThreadLocal.withInitial(() -> new float[0]);

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

    /**
     * Computes independent products together.
     *
     * @param products the products
     */
    public static void run(List<Product> products) {
        if (products.isEmpty()) {
            return;
        }
        Batch batch = new Batch(products);
        if (POOL == null || batch.weightBytes < PARALLEL_MIN_BYTES) {
            batch.workAlone();
        } else {
            POOL.publish(batch::help);
            batch.lead();
        }
        batch.rethrow();
    }

    /**
     * The units of one batch. The calling thread ({@link #lead}) and the helpers ({@link #help})
     * claim units from a counter; the caller writes straight into the outputs, a helper into its
     * own buffer, copied out only if the unit is still its own. When the counter runs out, the
     * caller takes over every unit a helper has claimed but not finished (a helper descheduled by
     * the hypervisor could otherwise hold the whole step up), so it waits only for copies in
     * flight; a helper's late result for a taken unit is dropped, never written.
     */
    private static final class Batch {

        private static final int FREE = 0;
        private static final int HELPER = 1;
        private static final int COPYING = 2;
        private static final int DONE = 3;
        private static final int TAKEN = 4;

        private final Product[] products;
        private final float[][] splits;
        private final int[] unitProduct;
        private final int[] unitFrom;
        private final int[] unitTo;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicIntegerArray state;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final long weightBytes;

        Batch(List<Product> list) {
            products = list.toArray(new Product[0]);
            splits = new float[products.length][];
            for (int p = 0; p < products.length; p++) {
                splits[p] = splitX(products[p]);
            }
            int units = 0;
            long bytes = 0;
            int[] rowsPerUnit = new int[products.length];
            for (int p = 0; p < products.length; p++) {
                WeightMatrix w = products[p].w();
                long rowBytes = Math.max(1, w.byteSize() / w.rows());
                long perToken = Math.max(1, UNIT_BYTES / (rowBytes * products[p].tokens()));
                rowsPerUnit[p] = (int) Math.min(w.rows(), Math.max(TILE_ROWS, perToken));
                units += (w.rows() + rowsPerUnit[p] - 1) / rowsPerUnit[p];
                bytes += w.byteSize() * products[p].tokens();
            }
            weightBytes = bytes;
            unitProduct = new int[units];
            unitFrom = new int[units];
            unitTo = new int[units];
            state = new AtomicIntegerArray(units);
            int u = 0;
            for (int p = 0; p < products.length; p++) {
                int rows = products[p].w().rows();
                for (int from = 0; from < rows; from += rowsPerUnit[p]) {
                    unitProduct[u] = p;
                    unitFrom[u] = from;
                    unitTo[u] = Math.min(rows, from + rowsPerUnit[p]);
                    u++;
                }
            }
        }

        /** Every unit on this thread. */
        void workAlone() {
            for (int u = 0; u < unitProduct.length; u++) {
                direct(u);
            }
        }

        /** The caller: claims units, then takes over those helpers still hold. */
        void lead() {
            int u;
            while ((u = next.getAndIncrement()) < unitProduct.length) {
                if (state.compareAndSet(u, FREE, TAKEN)) {
                    direct(u);
                }
            }
            for (u = 0; u < unitProduct.length; u++) {
                while (true) {
                    int s = state.get(u);
                    if (s == DONE) {
                        break;
                    }
                    if ((s == FREE && state.compareAndSet(u, FREE, TAKEN))
                            || (s == HELPER && state.compareAndSet(u, HELPER, TAKEN))) {
                        direct(u);
                        break;
                    }
                    Thread.onSpinWait(); // COPYING (or TAKEN by this thread: impossible here)
                }
            }
        }

        /** A helper: claims units and computes them into its own buffer. */
        void help() {
            int u;
            while ((u = next.getAndIncrement()) < unitProduct.length) {
                if (!state.compareAndSet(u, FREE, HELPER)) {
                    continue;
                }
                Product p = products[unitProduct[u]];
                int width = unitTo[u] - unitFrom[u];
                float[] buffer = OUT.get();
                if (buffer.length < width * p.tokens()) {
                    buffer = new float[width * p.tokens()];
                    OUT.set(buffer);
                }
                try {
                    if (failure.get() == null) {
                        compute(
                                p,
                                splits[unitProduct[u]],
                                unitFrom[u],
                                unitTo[u],
                                buffer,
                                0,
                                width);
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
                if (state.compareAndSet(u, HELPER, COPYING)) {
                    int rows = p.w().rows();
                    for (int t = 0; t < p.tokens(); t++) {
                        System.arraycopy(
                                buffer,
                                t * width,
                                p.y(),
                                p.yOffset() + t * rows + unitFrom[u],
                                width);
                    }
                    state.set(u, DONE);
                }
            }
        }

        private void direct(int u) {
            Product p = products[unitProduct[u]];
            try {
                if (failure.get() == null) {
                    compute(
                            p,
                            splits[unitProduct[u]],
                            unitFrom[u],
                            unitTo[u],
                            p.y(),
                            p.yOffset() + unitFrom[u],
                            p.w().rows());
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            } finally {
                state.set(u, DONE);
            }
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }

    /**
     * The product's tokens' x in MXFP4 split order when its rows prefer it and are read in place (a
     * few tokens), else null. Made once per product, before its units run: a fresh array, since a
     * helper's late (dropped) unit may still read it after the batch.
     */
    private static float[] splitX(Product p) {
        if (p.tokens() > IN_PLACE_TOKENS || !p.w().prefersSplitX()) {
            return null;
        }
        float[] split = new float[p.tokens() * p.w().cols()];
        Mxfp4Codec.split(p.x(), p.xOffset(), split, 0, split.length);
        return split;
    }

    /**
     * Computes rows [from, to) of a product for all its tokens: the value of token t, row r goes to
     * {@code y[yBase + t·yStride + (r - from)]}.
     */
    private static void compute(
            Product p, float[] split, int from, int to, float[] y, int yBase, int yStride) {
        WeightMatrix w = p.w();
        int cols = w.cols();
        if (split != null) {
            // MXFP4 with x split once per product (even values, then odd ones, per block), so
            // that every row pairs its nibbles with x without rearranging them.
            for (int r = from; r < to; r++) {
                for (int t = 0; t < p.tokens(); t++) {
                    y[yBase + t * yStride + r - from] = w.dotSplit(r, split, t * cols);
                }
            }
            return;
        }
        if (p.tokens() <= IN_PLACE_TOKENS) {
            // A few tokens (a decode step of a small batch): each row is read in place once per
            // token, the later reads hitting the cache, which beats decoding tiles to float32.
            for (int r = from; r < to; r++) {
                for (int t = 0; t < p.tokens(); t++) {
                    y[yBase + t * yStride + r - from] = w.dot(r, p.x(), p.xOffset() + t * cols);
                }
            }
            return;
        }
        ArrayDot dot = Codecs.arrayDot();
        float[] tile = TILE.get();
        if (tile.length < TILE_ROWS * cols) {
            tile = new float[TILE_ROWS * cols];
            TILE.set(tile);
        }
        int tokens = p.tokens();
        for (int r0 = from; r0 < to; r0 += TILE_ROWS) {
            int n = Math.min(TILE_ROWS, to - r0);
            for (int i = 0; i < n; i++) {
                w.decodeRow(r0 + i, tile, i * cols);
            }
            int base = yBase + r0 - from;
            int t = 0;
            // 4 rows x 4 tokens at a time, then the remainders one dot at a time.
            for (; t + 4 <= tokens; t += 4) {
                int x = p.xOffset() + t * cols;
                int y0 = base + t * yStride;
                int i = 0;
                for (; i + 4 <= n; i += 4) {
                    dot.dot4x4(tile, i * cols, p.x(), x, cols, cols, y, y0 + i, yStride);
                }
                for (; i < n; i++) {
                    for (int u = 0; u < 4; u++) {
                        y[y0 + u * yStride + i] =
                                dot.dot(tile, i * cols, p.x(), x + u * cols, cols);
                    }
                }
            }
            for (; t < tokens; t++) {
                int x = p.xOffset() + t * cols;
                int y0 = base + t * yStride;
                for (int i = 0; i < n; i++) {
                    y[y0 + i] = dot.dot(tile, i * cols, p.x(), x, cols);
                }
            }
        }
    }
}
