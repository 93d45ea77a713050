package io.moezoo.plots;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A chart that renders to PNG without a display.
 *
 * <p>Loading this class sets {@code java.awt.headless=true} unless the property was already set, so
 * that rendering never needs a window system (charts are only drawn into images).
 *
 * @param <C> the XChart chart type
 */
public abstract class PngChart<C extends Chart<?, ?>> {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The default width in pixels. */
    public static final int DEFAULT_WIDTH = 800;

    /** The default height in pixels. */
    public static final int DEFAULT_HEIGHT = 500;

    private final C chart;

    /**
     * Wraps a built chart.
     *
     * @param chart the XChart chart
     */
    protected PngChart(C chart) {
        this.chart = chart;
    }

    /**
     * Returns the XChart chart, for further styling or other XChart encoders.
     *
     * @return the chart
     */
    public C getChart() {
        return chart;
    }

    /**
     * Renders the chart into an image (for example to display it in a notebook).
     *
     * @return an image of the chart's width and height
     */
    public BufferedImage toImage() {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Encodes the chart as PNG bytes.
     *
     * @return the PNG file content
     * @throws IOException if encoding fails
     */
    public byte[] toPng() throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
    }

    /**
     * Writes the chart as a PNG file (atomically: a temporary file beside it is moved into place),
     * creating missing parent directories.
     *
     * @param file the file to write, conventionally ending in {@code .png}
     * @return the file
     * @throws IOException if the file cannot be written
     */
    public Path writePng(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = newTempFile(dir, absolute.getFileName().toString());
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
            }
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /**
     * A new temporary file in a directory, created like any other new file: read-write for all less
     * the umask ({@code rw-r--r--} under 022), not {@link Files#createTempFile}'s owner-only {@code
     * rw-------}, so that the file moved into place has the usual permissions.
     */
    private static Path newTempFile(Path dir, String prefix) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(dir, prefix, ".tmp");
        }
        return Files.createTempFile(
                dir,
                prefix,
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
    }
}
