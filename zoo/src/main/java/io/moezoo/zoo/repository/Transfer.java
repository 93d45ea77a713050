package io.moezoo.zoo.repository;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.time.Duration;
import java.util.Locale;

/**
 * A stream from a repository under the {@link TransferLimits}: the overall deadline and the minimum
 * throughput (bytes per window) are checked at every read, and a read that the socket's read
 * timeout ends is reported as too slow. Once a limit is broken every read fails with an {@link
 * ArtifactFetchException} naming the URL and the limit.
 */
final class Transfer extends FilterInputStream {
    private final URL url;
    private final long length;
    private final long start = System.nanoTime();
    private final long deadline;
    private final long window;
    private final long minBytesPerSecond;
    private long windowStart = start;
    private long windowBytes;
    private long bytes;

    Transfer(InputStream in, URL url, long length, Duration deadline) {
        super(in);
        TransferLimits limits = TransferLimits.fromSystemProperties();
        this.url = url;
        this.length = length;
        this.deadline = deadline.toNanos();
        this.window = limits.window().toNanos();
        this.minBytesPerSecond = limits.minBytesPerSecond();
    }

    /** The length the server announced, or -1. */
    long announcedLength() {
        return length;
    }

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
        } catch (SocketTimeoutException e) {
            throw slow(bytes - windowBytes, System.nanoTime() - windowStart, e);
        }
        bytes += Math.max(n, 0);
        check();
        return n;
    }

    private void check() throws ArtifactFetchException {
        long now = System.nanoTime();
        if (now - start > deadline) {
            throw new ArtifactFetchException(
                    String.format(
                            Locale.ROOT,
                            "%s: not finished within %.0f s"
                                    + " (moezoo.download.*deadlineSeconds); abandoned",
                            url,
                            deadline / 1e9));
        }
        if (now - windowStart >= window) {
            long received = bytes - windowBytes;
            if (received < minBytesPerSecond * ((now - windowStart) / 1e9)) {
                throw slow(received, now - windowStart, null);
            }
            windowStart = now;
            windowBytes = bytes;
        }
    }

    private ArtifactFetchException slow(long received, long nanos, IOException cause) {
        return new ArtifactFetchException(
                String.format(
                        Locale.ROOT,
                        "%s: %d bytes in the last %.0f s, slower than the %d bytes/s required"
                                + " (moezoo.download.minBytesPerSecond); abandoned",
                        url,
                        received,
                        nanos / 1e9,
                        minBytesPerSecond),
                cause);
    }
}
