package io.moezoo.cli;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import io.moezoo.recipes.data.InvalidTextException;
import io.moezoo.recipes.data.TextFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads the image files of {@code classify} defensively. An image must be a regular file of at most
 * {@value #MAX_BYTES} bytes in a format ImageIO reads (PNG, JPEG, GIF, BMP), whose header declares
 * at most {@value #MAX_PIXELS} pixels, checked before a pixel is decoded (a decompression bomb
 * never gets its raster); a decoder warning (a JPEG that ends early) or a PNG without its {@code
 * IEND} chunk is a truncated file and refused. Size, colour and channels are the translator's to
 * check against the model.
 */
final class ImageFiles {

    /** The largest accepted image file, in bytes (16 MiB). */
    static final int MAX_BYTES = 16 << 20;

    /** The most pixels an image may declare (4096 x 4096). */
    static final long MAX_PIXELS = 4096L * 4096L;

    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'
    };
    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D'};

    private ImageFiles() {}

    /**
     * Checks an image file without decoding its pixels: a regular file within the size limit, a
     * format ImageIO reads, and declared dimensions within {@link #MAX_PIXELS}.
     *
     * @param file the image file
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and the problem
     */
    static void check(Path file) throws IOException {
        decode(file, false);
    }

    /**
     * Reads an image file.
     *
     * @param file the image file
     * @return the image
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and the problem
     */
    static Image read(Path file) throws IOException {
        return ImageFactory.getInstance().fromImage(decode(file, true));
    }

    private static BufferedImage decode(Path file, boolean pixels) throws IOException {
        byte[] bytes = bytes(file);
        try (ImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IllegalArgumentException(
                        file + " is not an image in a readable format (PNG, JPEG, GIF, BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) {
                    throw new IllegalArgumentException(
                            String.format(
                                    Locale.ROOT,
                                    "%s declares %d x %d pixels; at most %,d pixels (4096 x 4096)"
                                            + " are accepted",
                                    file,
                                    width,
                                    height,
                                    MAX_PIXELS));
                }
                if (startsWith(bytes, PNG_SIGNATURE) && !endsWithPngEnd(bytes)) {
                    throw new IllegalArgumentException(
                            file + " is a truncated PNG: it ends before its IEND chunk");
                }
                if (!pixels) {
                    return null;
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) {
                    throw new IllegalArgumentException(
                            file + " is truncated or corrupt: " + warnings.get(0));
                }
                return image;
            } catch (IOException | RuntimeException e) {
                if (e instanceof IllegalArgumentException) {
                    throw e;
                }
                throw new IllegalArgumentException(
                        file + " is not a readable image: " + FailureMessage.of(e), e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static byte[] bytes(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not an image file");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("image file " + file + " not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    file + " is not a regular file (a device, FIFO or socket)");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%s is %,d bytes; at most %,d bytes are accepted",
                            file,
                            Files.size(file),
                            MAX_BYTES));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return TextFiles.readAtMost(in, MAX_BYTES, file.toString());
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("permission denied reading " + file, e);
        } catch (InvalidTextException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether a PNG holds its IEND chunk (length 0, type, then a 4-byte CRC). */
    private static boolean endsWithPngEnd(byte[] bytes) {
        for (int at = bytes.length - 12; at >= PNG_SIGNATURE.length; at--) {
            boolean match = true;
            for (int i = 0; i < PNG_END.length && match; i++) {
                match = bytes[at + i] == PNG_END[i];
            }
            if (match) {
                return true;
            }
        }
        return false;
    }
}
