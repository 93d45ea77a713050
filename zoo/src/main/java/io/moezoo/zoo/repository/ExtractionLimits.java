package io.moezoo.zoo.repository;

/**
 * How much an archive may unpack to. An archive whose sha1 matches its metadata can still be a zip
 * bomb: a few megabytes that expand to terabytes. Extraction stops, and the artifact is refused, as
 * soon as the bytes written pass the smaller of an absolute limit and {@code maxRatio} times the
 * archive's size, or the entries pass {@code maxEntries}.
 *
 * <p>System properties: {@code moezoo.extract.maxBytes} (default 64 GiB), {@code
 * moezoo.extract.maxRatio} (default 200) and {@code moezoo.extract.maxEntries} (default 10,000).
 *
 * @param maxBytes the most bytes one archive may unpack to
 * @param maxRatio the most bytes unpacked per byte of archive
 * @param maxEntries the most entries (files and directories) in one archive
 */
public record ExtractionLimits(long maxBytes, long maxRatio, int maxEntries) {

    private static final String PREFIX = "moezoo.extract.";

    /**
     * Validates the limits.
     *
     * @param maxBytes positive
     * @param maxRatio positive
     * @param maxEntries positive
     */
    public ExtractionLimits {
        if (maxBytes <= 0 || maxRatio <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("Extraction limits must be positive");
        }
    }

    /**
     * The limits given by the system properties, defaults for those not set.
     *
     * @return the limits
     * @throws IllegalArgumentException if a property is not a positive integer
     */
    public static ExtractionLimits fromSystemProperties() {
        return new ExtractionLimits(
                property("maxBytes", 64L << 30),
                property("maxRatio", 200),
                (int) Math.min(Integer.MAX_VALUE, property("maxEntries", 10_000)));
    }

    /**
     * The most bytes an archive of the given size may unpack to.
     *
     * @param archiveBytes the archive's size
     * @return min(maxBytes, maxRatio × archiveBytes)
     */
    public long budget(long archiveBytes) {
        long byRatio =
                archiveBytes > Long.MAX_VALUE / maxRatio ? Long.MAX_VALUE : archiveBytes * maxRatio;
        return Math.min(maxBytes, byRatio);
    }

    private static long property(String name, long fallback) {
        String text = System.getProperty(PREFIX + name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "System property " + PREFIX + name + "='" + text + "' must be a positive integer");
    }
}
