package io.moezoo.zoo.repository;

import java.time.Duration;

/**
 * How long and how slowly a repository read may run before it is abandoned. Every read from a
 * repository, {@code metadata.json} included, runs under these limits: a connection timeout, an
 * overall deadline per file, and a minimum throughput measured over consecutive windows (so a
 * server that trickles one byte every few seconds, or stalls after a fast start, is cut off).
 *
 * <p>Defaults, and the system properties that change them:
 *
 * <table>
 *   <caption>Transfer limits</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code moezoo.download.connectTimeoutSeconds}</td><td>30</td>
 *       <td>connecting, and at most this long (and at most one window) for the response
 *       headers and for each read</td></tr>
 *   <tr><td>{@code moezoo.download.deadlineSeconds}</td><td>3600</td>
 *       <td>one artifact file, start to end</td></tr>
 *   <tr><td>{@code moezoo.download.metadataDeadlineSeconds}</td><td>60</td>
 *       <td>one metadata or card file</td></tr>
 *   <tr><td>{@code moezoo.download.minBytesPerSecond}</td><td>16384</td>
 *       <td>the slowest average accepted over one window</td></tr>
 *   <tr><td>{@code moezoo.download.windowSeconds}</td><td>15</td>
 *       <td>the throughput window</td></tr>
 *   <tr><td>{@code moezoo.download.maxRedirects}</td><td>5</td>
 *       <td>HTTP redirects followed per file</td></tr>
 * </table>
 *
 * @param connectTimeout connection and response-header timeout
 * @param fileDeadline overall deadline of one artifact file
 * @param metadataDeadline overall deadline of one metadata file
 * @param minBytesPerSecond the slowest accepted throughput over a window
 * @param window the throughput window
 * @param maxRedirects redirects followed per file
 */
public record TransferLimits(
        Duration connectTimeout,
        Duration fileDeadline,
        Duration metadataDeadline,
        long minBytesPerSecond,
        Duration window,
        int maxRedirects) {

    private static final String PREFIX = "moezoo.download.";

    /**
     * Validates the limits.
     *
     * @param connectTimeout connection timeout, positive
     * @param fileDeadline artifact file deadline, positive
     * @param metadataDeadline metadata deadline, positive
     * @param minBytesPerSecond minimum throughput, ≥ 0 (0 turns the check off)
     * @param window throughput window, positive
     * @param maxRedirects redirects, ≥ 0
     */
    public TransferLimits {
        for (Duration d : new Duration[] {connectTimeout, fileDeadline, metadataDeadline, window}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("Transfer limits need positive durations");
            }
        }
        if (minBytesPerSecond < 0 || maxRedirects < 0) {
            throw new IllegalArgumentException(
                    "Transfer limits: minBytesPerSecond and maxRedirects must be >= 0");
        }
    }

    /**
     * The limits given by the system properties, defaults for those not set.
     *
     * @return the limits
     * @throws IllegalArgumentException if a property is not a number in range
     */
    public static TransferLimits fromSystemProperties() {
        return new TransferLimits(
                Duration.ofMillis(millis("connectTimeoutSeconds", 30)),
                Duration.ofMillis(millis("deadlineSeconds", 3600)),
                Duration.ofMillis(millis("metadataDeadlineSeconds", 60)),
                (long) number("minBytesPerSecond", 16384, 0, 1e12),
                Duration.ofMillis(millis("windowSeconds", 15)),
                (int) number("maxRedirects", 5, 0, 20));
    }

    private static long millis(String name, double seconds) {
        return Math.round(number(name, seconds, 0.001, 1e7) * 1000);
    }

    private static double number(String name, double fallback, double min, double max) {
        String text = System.getProperty(PREFIX + name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    "System property "
                            + PREFIX
                            + name
                            + "='"
                            + text
                            + "' must be a number in ["
                            + min
                            + ", "
                            + max
                            + "]");
        }
        return value;
    }
}
