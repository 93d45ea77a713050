package io.moezoo.recipes.vision;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import io.moezoo.recipes.data.DataSets;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Fashion-MNIST data set (Xiao, Rasul and Vollgraf 2017): 28×28 grayscale images of 10 kinds of
 * clothing, 60,000 for training and 10,000 for testing, read from the four IDX files of the Debian
 * package {@code dataset-fashion-mnist} (located by {@link DataSets#fashionMnist()}).
 *
 * @param images {@code count × 28 × 28} unsigned pixels, row-major, 0 = background
 * @param labels the class index of each image, 0..9 (see {@link #CLASS_NAMES})
 * @param count the number of images
 */
public record FashionMnist(byte[] images, byte[] labels, int count) {

    /** The image side in pixels. */
    public static final int SIDE = 28;

    /** The class names in label order, as published with the data set. */
    public static final List<String> CLASS_NAMES =
            List.of(
                    "T-shirt/top",
                    "Trouser",
                    "Pullover",
                    "Dress",
                    "Coat",
                    "Sandal",
                    "Shirt",
                    "Sneaker",
                    "Bag",
                    "Ankle boot");

    /** The two official splits. */
    public enum Split {
        /** 60,000 training images ({@code train-*}). */
        TRAIN("train", 60_000),
        /** 10,000 test images ({@code t10k-*}). */
        TEST("t10k", 10_000);

        private final String prefix;
        private final int size;

        Split(String prefix, int size) {
            this.prefix = prefix;
            this.size = size;
        }

        /**
         * Returns the number of images of the official split.
         *
         * @return the size
         */
        public int size() {
            return size;
        }
    }

    /**
     * Reads a split from the installed data set.
     *
     * @param split the split
     * @return the data
     * @throws IOException if the data set is missing (the message says how to install it) or a file
     *     is malformed
     */
    public static FashionMnist load(Split split) throws IOException {
        return load(DataSets.fashionMnist(), split);
    }

    /**
     * Reads a split from a directory holding the IDX files ({@code <prefix>-images-idx3-ubyte.gz}
     * and {@code <prefix>-labels-idx1-ubyte.gz}, or the same names without {@code .gz}).
     *
     * @param dir the directory
     * @param split the split
     * @return the data
     * @throws IOException if a file is missing or malformed, or the files disagree
     */
    public static FashionMnist load(Path dir, Split split) throws IOException {
        IdxFile images = IdxFile.read(file(dir, split.prefix + "-images-idx3-ubyte"), 3);
        IdxFile labels = IdxFile.read(file(dir, split.prefix + "-labels-idx1-ubyte"), 1);
        int[] d = images.dims();
        if (d[1] != SIDE || d[2] != SIDE) {
            throw new IOException(
                    dir
                            + ": Fashion-MNIST images must be "
                            + SIDE
                            + "x"
                            + SIDE
                            + ", got "
                            + d[1]
                            + "x"
                            + d[2]);
        }
        if (d[0] != labels.dims()[0]) {
            throw new IOException(
                    dir + ": " + d[0] + " images but " + labels.dims()[0] + " labels");
        }
        if (d[0] != split.size) {
            throw new IOException(
                    dir
                            + ": the "
                            + split
                            + " split has "
                            + d[0]
                            + " images, expected "
                            + split.size);
        }
        byte[] y = labels.data();
        for (int i = 0; i < y.length; i++) {
            if ((y[i] & 0xFF) >= CLASS_NAMES.size()) {
                throw new IOException(
                        dir + ": label " + (y[i] & 0xFF) + " of image " + i + " is not in 0..9");
            }
        }
        return new FashionMnist(images.data(), y, d[0]);
    }

    private static Path file(Path dir, String name) throws IOException {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new java.io.FileNotFoundException(
                "Fashion-MNIST file "
                        + gz
                        + " not found; install: apt-get install dataset-fashion-mnist");
    }

    /**
     * Returns the label of image i.
     *
     * @param i the image index
     * @return the class index
     */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /**
     * Returns the pixels of image i.
     *
     * @param i the image index
     * @return 784 unsigned pixels in bytes, row-major
     */
    public byte[] pixels(int i) {
        byte[] p = new byte[SIDE * SIDE];
        System.arraycopy(images, i * SIDE * SIDE, p, 0, p.length);
        return p;
    }

    /**
     * Returns image i as a DJL {@link Image} wrapping an 8-bit grayscale {@link BufferedImage}.
     *
     * @param i the image index
     * @return the image
     */
    public Image image(int i) {
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, SIDE, SIDE, pixels(i));
        return ImageFactory.getInstance().fromImage(img);
    }
}
