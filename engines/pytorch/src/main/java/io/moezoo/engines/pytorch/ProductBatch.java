package io.moezoo.engines.pytorch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One call of {@link VectorGemv#multiply}: the rows of its products cut into chunks of about {@code
 * chunkBytes} of weights, which the calling thread and the helpers claim one at a time.
 *
 * <p>Each chunk is published exactly once: a thread computes it into its own scratch rows and
 * copies them into y only if no other thread published the chunk first. This lets the caller, once
 * every chunk is claimed, compute again the chunks a helper still holds instead of waiting for a
 * helper that lost its processor in the middle of one (a backup task). A helper that finds its
 * chunk published stops within {@value #ROWS_PER_CHECK} rows, and the caller returns only after
 * every helper has left the batch, so no thread reads a weight after {@link VectorGemv#multiply}
 * returns.
 */
final class ProductBatch {

    /** How many rows a thread computes between two checks that its chunk is still open. */
    static final int ROWS_PER_CHECK = 8;

    private static final int OPEN = 0;
    private static final int PUBLISHING = 1;
    private static final int PUBLISHED = 2;

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /** Rows [from, to) of one product. */
    private record Chunk(VectorGemv.Product product, int from, int to) {}

    private final List<Chunk> chunks = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger helpersInside = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicIntegerArray state;
    private final long elements;

    /**
     * Cuts the products into chunks.
     *
     * @param products the products
     * @param chunkBytes the weight bytes of a chunk (at least one row)
     */
    ProductBatch(List<VectorGemv.Product> products, int chunkBytes) {
        long total = 0;
        for (VectorGemv.Product product : products) {
            total += product.elements();
            int rows = product.y().length;
            int step = Math.max(1, chunkBytes / (product.x().length * Float.BYTES));
            for (int r = 0; r < rows; r += step) {
                chunks.add(new Chunk(product, r, Math.min(rows, r + step)));
            }
        }
        elements = total;
        state = new AtomicIntegerArray(chunks.size());
    }

    /**
     * The weight entries the batch reads.
     *
     * @return the sum of rows × columns over its products
     */
    long elements() {
        return elements;
    }

    /**
     * The number of chunks.
     *
     * @return the count
     */
    int size() {
        return chunks.size();
    }

    /** A helper's share: claims and computes chunks until none is left. */
    void help() {
        helpersInside.incrementAndGet();
        try {
            claimAll();
        } finally {
            helpersInside.decrementAndGet();
        }
    }

    /**
     * The caller's share: claims chunks until none is left, computes again those that helpers still
     * hold, waits until every chunk is published and every helper has left.
     *
     * @throws IllegalStateException if computing a chunk failed
     */
    void run() {
        claimAll();
        for (int c = chunks.size() - 1; c >= 0; c--) {
            if (state.get(c) == OPEN) {
                compute(c);
            }
        }
        for (int c = 0; c < chunks.size(); c++) {
            for (int spins = 1; state.get(c) != PUBLISHED; spins++) {
                pause(spins);
            }
        }
        for (int spins = 1; helpersInside.get() > 0; spins++) {
            pause(spins);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Matrix-vector product failed", failure.get());
        }
    }

    /**
     * Claims the next chunk.
     *
     * @return its index, or -1 if every chunk is claimed
     */
    int claim() {
        int c = next.getAndIncrement();
        return c < chunks.size() ? c : -1;
    }

    private void claimAll() {
        for (int c = claim(); c >= 0; c = claim()) {
            compute(c);
        }
    }

    /**
     * Computes a chunk into this thread's scratch rows and publishes them into y unless another
     * thread published the chunk first (then it stops early and publishes nothing).
     *
     * @param c the chunk
     * @return whether this call published it
     */
    boolean compute(int c) {
        Chunk chunk = chunks.get(c);
        VectorGemv.Product p = chunk.product();
        int n = chunk.to() - chunk.from();
        float[] scratch = SCRATCH.get();
        if (scratch.length < n) {
            scratch = new float[n];
            SCRATCH.set(scratch);
        }
        try {
            ByteBuffer w = p.w();
            for (int r = chunk.from(); r < chunk.to(); r += ROWS_PER_CHECK) {
                if (state.get(c) != OPEN) {
                    return false; // another thread published it: stop reading the weight
                }
                int end = Math.min(chunk.to(), r + ROWS_PER_CHECK);
                VectorGemv.rows(w, p.offset(), p.x(), scratch, r, end, -chunk.from());
            }
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
        if (!state.compareAndSet(c, OPEN, PUBLISHING)) {
            return false;
        }
        System.arraycopy(scratch, 0, p.y(), chunk.from(), n);
        state.set(c, PUBLISHED);
        return true;
    }

    private static void pause(int spins) {
        if (spins % 1024 == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }
}
