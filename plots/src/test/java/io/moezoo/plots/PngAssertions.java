package io.moezoo.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.function.Executable;

/** Checks that a chart writes a real PNG picture. */
final class PngAssertions {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** Where the test images are written, for a person to look at. */
    static final Path OUT = Path.of("target", "test-charts");

    private PngAssertions() {}

    /**
     * Writes the chart to target/test-charts/name.png and checks the file: PNG magic, decodable,
     * the chart's size, a non-trivial file size and many colours (not a blank picture).
     *
     * @return the decoded image
     */
    static BufferedImage assertWritesPng(PngChart<?> chart, String name, int width, int height)
            throws IOException {
        Path file = chart.writePng(OUT.resolve(name + ".png"));
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8), "PNG signature of " + file);
        assertTrue(bytes.length > 5_000, "PNG too small to hold a chart: " + bytes.length + " B");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "ImageIO cannot decode " + file);
        assertEquals(width, image.getWidth(), "width");
        assertEquals(height, image.getHeight(), "height");
        assertTrue(distinctColours(image) >= 8, "picture is (nearly) a flat colour");
        byte[] again = chart.toPng();
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(again, 8), "toPng signature");
        BufferedImage rendered = chart.toImage();
        assertEquals(width, rendered.getWidth());
        assertEquals(height, rendered.getHeight());
        return image;
    }

    static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /** Counts pixels close to an RGB colour (per channel tolerance 24). */
    static int pixelsNear(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 24
                        && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 24
                        && Math.abs((p & 0xff) - (rgb & 0xff)) <= 24) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Asserts an IllegalArgumentException whose message contains every given fragment. */
    static void assertRejects(Executable build, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String fragment : fragments) {
            assertTrue(
                    e.getMessage().contains(fragment),
                    "message '" + e.getMessage() + "' should mention '" + fragment + "'");
        }
    }
}
