package io.moezoo.zoo.repository;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Enforces an overall deadline and a minimum throughput on one transfer. A shared daemon thread
 * checks every running transfer four times a second; when one breaks a limit it records why and
 * runs the transfer's abort action (closing its connection), which ends a read blocked on a silent
 * server. The stream returned by {@link #watch} then fails with an {@link ArtifactFetchException}
 * naming the URL and the limit.
 */
final class TransferWatch implements AutoCloseable {

    private static final long PERIOD_MILLIS = 250;

    private static final ScheduledExecutorService TIMER =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "moezoo-transfer-watch");
                        t.setDaemon(true);
                        return t;
                    });

    private final URL url;
    private final long start = System.nanoTime();
    private final long deadlineNanos;
    private final long windowNanos;
    private final long minBytesPerWindow;
    private final AtomicLong bytes = new AtomicLong();
    private final ScheduledFuture<?> task;
    private volatile Runnable abort = () -> {};
    private volatile String broken;
    private long windowStart = start;
    private long windowBytes;

    private TransferWatch(URL url, long deadlineNanos, TransferLimits limits) {
        this.url = url;
        this.deadlineNanos = deadlineNanos;
        this.windowNanos = limits.window().toNanos();
        this.minBytesPerWindow =
                (long) Math.ceil(limits.minBytesPerSecond() * limits.window().toNanos() / 1e9);
        this.task =
                TIMER.scheduleAtFixedRate(
                        this::tick, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts watching a transfer.
     *
     * @param url the URL, for messages
     * @param deadline the overall deadline in nanoseconds
     * @param limits the throughput limits
     * @return the watch; close it when the transfer ends
     */
    static TransferWatch start(URL url, long deadline, TransferLimits limits) {
        return new TransferWatch(url, deadline, limits);
    }

    /**
     * Sets what breaking a limit does: typically closing the connection.
     *
     * @param action the abort action
     */
    void onAbort(Runnable action) {
        this.abort = action;
        if (broken != null) {
            action.run();
        }
    }

    /**
     * Throws if a limit was broken.
     *
     * @throws ArtifactFetchException naming the URL and the limit
     */
    void check() throws ArtifactFetchException {
        if (broken != null) {
            throw new ArtifactFetchException(url + ": " + broken);
        }
    }

    /**
     * Wraps a stream: counts its bytes and fails it once a limit is broken.
     *
     * @param in the stream
     * @return the watched stream
     */
    InputStream watch(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check();
                int n;
                try {
                    n = super.read(b, off, len);
                } catch (IOException e) {
                    check(); // a read ended by the abort action reports the limit, not "closed"
                    throw e;
                }
                if (n > 0) {
                    bytes.addAndGet(n);
                }
                check();
                return n;
            }
        };
    }

    private void tick() {
        if (broken != null) {
            return;
        }
        long now = System.nanoTime();
        if (now - start > deadlineNanos) {
            fail(
                    String.format(
                            Locale.ROOT,
                            "not finished within %.0f s (moezoo.download.*deadlineSeconds);"
                                    + " abandoned",
                            seconds(deadlineNanos)));
        } else if (now - windowStart >= windowNanos) {
            long received = bytes.get() - windowBytes;
            if (received < minBytesPerWindow) {
                fail(
                        String.format(
                                Locale.ROOT,
                                "%d bytes in the last %.0f s, slower than the %d bytes/s"
                                        + " required (moezoo.download.minBytesPerSecond);"
                                        + " abandoned",
                                received,
                                seconds(now - windowStart),
                                Math.round(minBytesPerWindow / seconds(windowNanos))));
            }
            windowStart = now;
            windowBytes = bytes.get();
        }
    }

    private void fail(String reason) {
        broken = reason;
        task.cancel(false);
        try {
            abort.run();
        } catch (RuntimeException e) {
            // the transfer fails anyway, with the recorded reason
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
