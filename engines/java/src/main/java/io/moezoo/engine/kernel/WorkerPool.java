package io.moezoo.engine.kernel;

import java.util.concurrent.locks.LockSupport;

/**
 * Daemon threads that join whatever work is published last: each runs a published {@code Runnable}
 * once, then spins for a short window waiting for the next before it parks.
 *
 * <p>A decode step publishes a batch of products every few tens of microseconds with a little host
 * work in between; a parked thread on an idle (virtual) processor can take far longer than that to
 * wake, so the helpers spin through the gap and park only after the window, leaving an idle JVM
 * idle. Work must be complete when only the publishing thread runs it: the helpers only speed it
 * up, so several publishers may share one pool.
 */
final class WorkerPool {

    private final Thread[] threads;
    private final long spinNanos;
    private volatile Runnable current;

    /**
     * Starts the threads.
     *
     * @param count the number of threads
     * @param spinNanos how long a thread spins for new work before parking
     * @param name the thread name prefix
     */
    WorkerPool(int count, long spinNanos, String name) {
        this.spinNanos = spinNanos;
        this.threads = new Thread[count];
        for (int i = 0; i < count; i++) {
            threads[i] = new Thread(this::loop, name + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /**
     * Returns the number of helper threads.
     *
     * @return the count
     */
    int size() {
        return threads.length;
    }

    /**
     * Makes the work the latest: every thread runs it once.
     *
     * @param work the work; it returns when nothing is left for it to do
     */
    void publish(Runnable work) {
        current = work;
        for (Thread thread : threads) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        Runnable done = null;
        while (true) {
            Runnable work = await(done);
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                // The work records its own failures; a helper must survive anything.
            }
            done = work;
        }
    }

    private Runnable await(Runnable done) {
        long deadline = System.nanoTime() + spinNanos;
        while (true) {
            Runnable work = current;
            if (work != done) {
                return work;
            }
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
                deadline = System.nanoTime() + spinNanos;
            }
        }
    }
}
