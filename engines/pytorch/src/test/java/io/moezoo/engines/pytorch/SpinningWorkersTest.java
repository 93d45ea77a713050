package io.moezoo.engines.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Publishing work to {@link SpinningWorkers}: spinning, parked and after a failure. */
class SpinningWorkersTest {

    private static Thread.State stateOf(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getState();
            }
        }
        throw new AssertionError("no thread " + name);
    }

    @Test
    void everyWorkerRunsPublishedWorkOnceAndParksAfterTheWindow() throws Exception {
        SpinningWorkers workers =
                new SpinningWorkers(2, TimeUnit.MILLISECONDS.toNanos(1), "test-workers-a");
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch both = new CountDownLatch(2);
        Runnable work =
                () -> {
                    assertTrue(Thread.currentThread().getName().startsWith("test-workers-a-"));
                    runs.incrementAndGet();
                    both.countDown();
                };
        workers.publish(work);
        assertTrue(both.await(10, TimeUnit.SECONDS));
        Thread.sleep(200); // far past the spin window: the workers park, and run nothing again
        assertEquals(2, runs.get());
        assertEquals(Thread.State.WAITING, stateOf("test-workers-a-0"));
        assertEquals(Thread.State.WAITING, stateOf("test-workers-a-1"));

        CountDownLatch again = new CountDownLatch(2);
        workers.publish(again::countDown); // unparks them
        assertTrue(again.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aWorkerSurvivesWorkThatThrows() throws Exception {
        SpinningWorkers workers =
                new SpinningWorkers(1, TimeUnit.MILLISECONDS.toNanos(1), "test-workers-b");
        CountDownLatch thrown = new CountDownLatch(1);
        workers.publish(
                () -> {
                    thrown.countDown();
                    throw new IllegalStateException("boom");
                });
        assertTrue(thrown.await(10, TimeUnit.SECONDS));
        AtomicReference<String> ranOn = new AtomicReference<>();
        CountDownLatch next = new CountDownLatch(1);
        workers.publish(
                () -> {
                    ranOn.set(Thread.currentThread().getName());
                    next.countDown();
                });
        assertTrue(next.await(10, TimeUnit.SECONDS));
        assertEquals("test-workers-b-0", ranOn.get());
    }
}
