package io.moezoo.engine.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Independent units of work that the calling thread ({@link #lead}) and the worker threads ({@link
 * #help}) share. The units are cut into one contiguous stripe per thread; each thread claims the
 * units of its own stripe in order, then those left in the others, so that every thread streams
 * through adjacent weight rows (a hardware prefetcher runs on from one unit into the next; with one
 * shared counter, adjacent units went to alternate threads and each core's stream broke at every
 * unit; see {@link MatrixOps} for the measured effect). The caller computes straight into the
 * outputs, a helper into its own buffer, copied out only if the unit is still its own. When the
 * counter runs out, the caller takes over every unit a helper has claimed but not finished (a
 * helper descheduled by the hypervisor could otherwise hold the whole step up), so it waits only
 * for copies in flight; a helper's late result for a taken unit is dropped, never written.
 *
 * <p>A subclass says how a unit is computed in place ({@link #computeDirect}), into a buffer
 * ({@link #computeAside}) and how a buffer is copied out ({@link #copyOut}).
 */
abstract class SharedUnits {

    private static final int FREE = 0;
    private static final int HELPER = 1;
    private static final int COPYING = 2;
    private static final int DONE = 3;
    private static final int TAKEN = 4;

    private static final ThreadLocal<float[]> BUFFER = ThreadLocal.withInitial(() -> new float[0]);

    /** Ints between two stripes' cursors, so that each cursor has a cache line of its own. */
    private static final int PAD = 16;

    private final int units;
    private final AtomicInteger joined = new AtomicInteger();
    private int stripes = 1;
    private AtomicIntegerArray cursors;
    private final AtomicIntegerArray state;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * Creates the shared state.
     *
     * @param units the number of units
     */
    SharedUnits(int units) {
        this.units = units;
        this.state = new AtomicIntegerArray(units);
    }

    /** Computes unit u into the outputs. */
    abstract void computeDirect(int u);

    /** The floats unit u needs in a helper's buffer. */
    abstract int asideSize(int u);

    /** Computes unit u into a helper's buffer. */
    abstract void computeAside(int u, float[] buffer);

    /** Copies a helper's buffer of unit u into the outputs. */
    abstract void copyOut(int u, float[] buffer);

    /**
     * Runs every unit: on this thread alone, or with the pool's helpers, then rethrows the first
     * failure of any unit.
     *
     * @param pool the helpers, or null for this thread alone
     */
    final void run(WorkerPool pool) {
        if (pool == null) {
            for (int u = 0; u < units; u++) {
                direct(u);
            }
        } else {
            stripes = Math.max(1, Math.min(units, pool.size() + 1));
            cursors = new AtomicIntegerArray(stripes * PAD);
            for (int k = 0; k < stripes; k++) {
                cursors.set(k * PAD, stripeStart(k));
            }
            pool.publish(this::help);
            lead();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /** The first unit of stripe k. */
    private int stripeStart(int k) {
        return (int) ((long) units * k / stripes);
    }

    /**
     * Claims the next unit for the thread of stripe {@code own}: the next of its own stripe, else
     * the next of the following stripes; -1 when every unit has been claimed.
     */
    private int claim(int own) {
        for (int i = 0; i < stripes; i++) {
            int k = (own + i) % stripes;
            int end = stripeStart(k + 1);
            if (cursors.get(k * PAD) < end) {
                int u = cursors.getAndIncrement(k * PAD);
                if (u < end) {
                    return u;
                }
            }
        }
        return -1;
    }

    /** The caller: claims units, then takes over those helpers still hold. */
    private void lead() {
        int u;
        while ((u = claim(0)) >= 0) {
            if (state.compareAndSet(u, FREE, TAKEN)) {
                direct(u);
            }
        }
        for (u = 0; u < units; u++) {
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
    private void help() {
        int own = (1 + joined.getAndIncrement()) % stripes;
        int u;
        while ((u = claim(own)) >= 0) {
            if (!state.compareAndSet(u, FREE, HELPER)) {
                continue;
            }
            float[] buffer = BUFFER.get();
            int size = asideSize(u);
            if (buffer.length < size) {
                buffer = new float[size];
                BUFFER.set(buffer);
            }
            try {
                if (failure.get() == null) {
                    computeAside(u, buffer);
                }
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
            if (state.compareAndSet(u, HELPER, COPYING)) {
                copyOut(u, buffer);
                state.set(u, DONE);
            }
        }
    }

    private void direct(int u) {
        try {
            if (failure.get() == null) {
                computeDirect(u);
            }
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        } finally {
            state.set(u, DONE);
        }
    }
}
