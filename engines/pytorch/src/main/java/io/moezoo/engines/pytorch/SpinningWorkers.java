package io.moezoo.engines.pytorch;

import java.util.concurrent.locks.LockSupport;

/**
 * Daemon threads that join whatever work is published last: each runs a published {@code Runnable}
 * once, then spins for a short window waiting for the next before it parks.
 *
 * <p>Why spin: a decode step publishes a batch of products every few tens of microseconds, with
 * host work in between. A parked thread whose processor went idle can take far longer than that to
 * run again on a virtual machine (the idle virtual CPU has to be woken by the hypervisor), and the
 * products then run on the calling thread alone. Spinning through the gap keeps the helper ready;
 * after the window it parks, so an idle JVM does not burn a processor.
 *
 * <p>Several callers may publish concurrently: the helpers join the latest work, and each caller's
 * work must be complete when only the caller runs it (the helpers only speed it up).
 */
final class SpinningWorkers {

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
    SpinningWorkers(int count, long spinNanos, String name) {
        this.spinNanos = spinNanos;
        this.threads = new Thread[count];
        for (int i = 0; i < count; i++) {
            threads[i] = new Thread(this::loop, name + "-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /**
     * Makes the work the latest: every thread runs it once, at once if it is spinning, after an
     * unpark if it is parked. (Unparking a thread that is not parked only lets its next park return
     * early, and it then looks for work again.)
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
        Runnable done = null; // the last work this thread ran, kept until the next
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

    /** Waits for work other than {@code done}: spins for the window, then parks. */
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
                LockSupport.park(this); // publish unparks: work published before this is seen
                deadline = System.nanoTime() + spinNanos;
            }
        }
    }
}
