package io.moezoo.cli.serve;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

/**
 * The bounded queue generation runs through: at most {@code parallel} generations at once, at most
 * {@code queue} more waiting (in arrival order); a request beyond those is refused with 503 at
 * once. The HTTP server itself serves any number of requests concurrently.
 */
final class GenerationSlots {

    private final int parallel;
    private final int queue;

    /** Requests generating or waiting to. */
    private final Semaphore admitted;

    /** Requests generating. */
    private final Semaphore workers;

    /**
     * Creates the slots.
     *
     * @param parallel the generations that run at once, &ge; 1
     * @param queue the requests that may wait for one, &ge; 0
     */
    GenerationSlots(int parallel, int queue) {
        this.parallel = parallel;
        this.queue = queue;
        this.admitted = new Semaphore(parallel + queue);
        this.workers = new Semaphore(parallel, true);
    }

    /**
     * Runs a generation once a worker is free.
     *
     * @param generation the generation
     * @param <T> its result
     * @return its result
     * @throws ApiException 503 when {@code parallel} generations run and {@code queue} wait
     * @throws Exception what the generation throws, or an interruption while waiting
     */
    <T> T run(Callable<T> generation) throws Exception {
        if (!admitted.tryAcquire()) {
            throw new ApiException(
                    503,
                    "the server is busy ("
                            + parallel
                            + " generating, "
                            + queue
                            + " waiting: --parallel, --queue); retry later",
                    null);
        }
        try {
            workers.acquire();
            try {
                return generation.call();
            } finally {
                workers.release();
            }
        } finally {
            admitted.release();
        }
    }

    /**
     * Returns the requests generating or waiting to.
     *
     * @return the count
     */
    int pending() {
        return parallel + queue - admitted.availablePermits();
    }
}
