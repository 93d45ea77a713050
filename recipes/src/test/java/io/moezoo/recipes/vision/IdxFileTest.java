package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on hand-made files, and the real Fashion-MNIST files. */
class IdxFileTest {

    @TempDir Path dir;

    private static byte[] idx(int magic, int[] dims, int payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        for (int i = 0; i < payload; i++) {
            out.writeByte(i * 7);
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out =
                gzip
                        ? new GZIPOutputStream(Files.newOutputStream(file))
                        : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    private String error(byte[] content, int rank) throws IOException {
        Path file = write("bad-idx", content, false);
        return assertThrows(IOException.class, () -> IdxFile.read(file, rank)).getMessage();
    }

    @Test
    void readsPlainAndGzippedFiles() throws IOException {
        byte[] content = idx(0x00000803, new int[] {2, 3, 4}, 24);
        for (boolean gzip : new boolean[] {false, true}) {
            IdxFile f = IdxFile.read(write(gzip ? "a.gz" : "a", content, gzip), 3);
            assertArrayEquals(new int[] {2, 3, 4}, f.dims());
            assertEquals(24, f.data().length);
            assertEquals((byte) (23 * 7), f.data()[23]);
        }
    }

    @Test
    void rejectsMalformedFilesWithClearMessages() throws IOException {
        assertTrue(error(idx(0x00000903, new int[] {1, 1, 1}, 1), 3).contains("magic"));
        assertTrue(error(idx(0x01000803, new int[] {1, 1, 1}, 1), 3).contains("magic"));
        assertTrue(error(idx(0x00000801, new int[] {4}, 4), 3).contains("rank is 1, expected 3"));
        assertTrue(error(idx(0x00000803, new int[] {2, 0, 2}, 0), 3).contains("dimension 1 is 0"));
        assertTrue(error(idx(0x00000803, new int[] {2, -5, 2}, 0), 3).contains("dimension 1"));
        assertTrue(error(idx(0x00000803, new int[] {2, 2, 2}, 7), 3).contains("truncated"));
        assertTrue(error(idx(0x00000803, new int[] {2, 2, 2}, 9), 3).contains("trailing"));
        assertTrue(error(new byte[] {0, 0}, 3).contains("truncated IDX header"));
        assertTrue(error(idx(0x00000803, new int[] {2}, 0), 3).contains("truncated IDX header"));
        assertTrue(
                error(idx(0x00000803, new int[] {65536, 65536, 65536}, 0), 3)
                        .contains("too large"));
        Path notGzip = write("x-idx3-ubyte.gz", idx(0x00000803, new int[] {1, 1, 1}, 1), false);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(notGzip, 3));
        assertTrue(
                e.getMessage().contains("gzip") || e.getMessage().contains("GZIP"), e.getMessage());
    }

    @Test
    void fashionMnistLoaderChecksThatFilesAgree() throws IOException {
        write("t10k-images-idx3-ubyte", idx(0x00000803, new int[] {3, 28, 28}, 3 * 784), false);
        write("t10k-labels-idx1-ubyte", idx(0x00000801, new int[] {2}, 2), false);
        IOException e =
                assertThrows(
                        IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("3 images but 2 labels"), e.getMessage());
        write("t10k-images-idx3-ubyte", idx(0x00000803, new int[] {2, 27, 28}, 2 * 27 * 28), false);
        e = assertThrows(IOException.class, () -> FashionMnist.load(dir, FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("28x28"), e.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        e =
                assertThrows(
                        IOException.class,
                        () -> FashionMnist.load(empty, FashionMnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    /** The installed data set: the published sizes and a balanced 10-class label histogram. */
    @Test
    void realFashionMnistHasThePublishedShape() throws IOException {
        FashionMnist train = FashionMnist.load(FashionMnist.Split.TRAIN);
        FashionMnist test = FashionMnist.load(FashionMnist.Split.TEST);
        assertEquals(60_000, train.count());
        assertEquals(10_000, test.count());
        assertEquals(60_000 * 784, train.images().length);
        int[] counts = new int[10];
        for (int i = 0; i < test.count(); i++) {
            counts[test.label(i)]++;
        }
        for (int c : counts) {
            assertEquals(1000, c, "every class has 1,000 test images");
        }
        int[] trainCounts = new int[10];
        for (int i = 0; i < train.count(); i++) {
            trainCounts[train.label(i)]++;
        }
        for (int c : trainCounts) {
            assertEquals(6000, c, "every class has 6,000 training images");
        }
        // The first training image is an ankle boot, the first test image too (published order).
        assertEquals(9, train.label(0));
        assertEquals(9, test.label(0));
    }
}
