package io.moezoo.cli;

import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * The hostile files of {@link HostileInputCliTest}: image bombs and truncated images, CSVs in the
 * wrong encoding or shape, devices, FIFOs and directories, written once into a directory.
 */
final class HostileFixtures {

    private final Path dir;

    private HostileFixtures(Path dir) {
        this.dir = dir;
    }

    /**
     * Writes every fixture into a fresh directory.
     *
     * @param dir the directory (created, emptied of earlier fixtures by overwriting them)
     * @return the fixtures
     */
    static HostileFixtures write(Path dir) throws IOException, InterruptedException {
        HostileFixtures f = new HostileFixtures(Files.createDirectories(dir));
        f.images();
        f.csvs();
        Files.writeString(dir.resolve("plain.txt"), "not a directory\n");
        Files.createDirectories(dir.resolve("a-directory.png"));
        Files.createDirectories(dir.resolve("a-directory.csv"));
        Path fifo = dir.resolve("fifo");
        Files.deleteIfExists(fifo);
        new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
        return f;
    }

    /**
     * Returns the path of a fixture.
     *
     * @param name the file name
     * @return its path as a string
     */
    String path(String name) {
        return dir.resolve(name).toString();
    }

    private void images() throws IOException {
        BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(gray, "png", dir.resolve("gray.png").toFile());
        BufferedImage colour = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        colour.setRGB(3, 4, 0xFF0000);
        ImageIO.write(colour, "png", dir.resolve("colour.png").toFile());
        BufferedImage alpha = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        alpha.setRGB(5, 5, 0x8000FF00);
        ImageIO.write(alpha, "png", dir.resolve("rgba.png").toFile());
        ImageIO.write(
                new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY),
                "png",
                dir.resolve("wrong-size.png").toFile());
        byte[] png = Files.readAllBytes(dir.resolve("gray.png"));
        Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        Files.write(dir.resolve("no-iend.png"), Arrays.copyOf(png, png.length - 12));
        BufferedImage noise = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(1);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = random.nextInt(256);
                noise.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(noise, "jpg", jpeg);
        byte[] jpg = jpeg.toByteArray();
        Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpg, jpg.length * 2 / 3));
        Files.write(dir.resolve("header-bomb.png"), png(60_000, 60_000, new byte[0]));
        Files.write(dir.resolve("inflate-bomb.png"), png(8192, 8192, zeros(8192, 8192)));
        Files.write(dir.resolve("bomb.bmp"), bmp(30_000, 30_000));
        Files.write(dir.resolve("empty.png"), new byte[0]);
        Files.writeString(dir.resolve("text.png"), "this is not an image\n");
        sparse(dir.resolve("huge.png"), 17L << 20);
    }

    private void csvs() throws IOException {
        StringBuilder good = new StringBuilder("month,sales\n");
        for (int t = 0; t < 40; t++) {
            good.append(t).append(',').append(100 + t % 12).append('\n');
        }
        text("good.csv", good.toString());
        byte[] binary = new byte[4096];
        new Random(7).nextBytes(binary);
        Files.write(dir.resolve("binary.csv"), binary);
        byte[] utf16 = good.toString().getBytes(StandardCharsets.UTF_16);
        Files.write(dir.resolve("utf16-bom.csv"), utf16);
        Files.write(
                dir.resolve("utf16-no-bom.csv"),
                good.toString().getBytes(StandardCharsets.UTF_16LE));
        byte[] utf32 = {0, 0, (byte) 0xFE, (byte) 0xFF, 0, 0, 0, 'v'};
        Files.write(dir.resolve("utf32.csv"), utf32);
        Files.write(
                dir.resolve("latin1.csv"),
                "caf\u00e9,sales\n1,2\n".getBytes(StandardCharsets.ISO_8859_1));
        text("nan.csv", "v\n1\n2\nNaN\n");
        text("infinity.csv", "v\n1\nInfinity\n");
        text("minus-inf.csv", "v\n1\n-inf\n");
        text("overflow.csv", "v\n1\n2\n1e39\n");
        text("empty.csv", "");
        text("header-only.csv", "v\n");
        text("one-value.csv", "v\n5\n");
        text("ragged.csv", "a,b\n1,2\n3\n");
        text("words.csv", "v\n1\ntwelve\n");
        text("hex.csv", "v\n1\n0x1p3\n");
        text("empty-cell.csv", "a,v\n1,2\n2,\n");
        StringBuilder many = new StringBuilder("v\n");
        for (int i = 0; i < 100_001; i++) {
            many.append("1\n");
        }
        text("many-values.csv", many.toString());
        StringBuilder wide = new StringBuilder("c0");
        for (int i = 1; i < 5_000; i++) {
            wide.append(",c").append(i);
        }
        text("wide.csv", wide.append('\n').toString());
        sparse(dir.resolve("huge.csv"), 17L << 20);
        text("deep.json", "[".repeat(100_000) + "]".repeat(100_000));
        Files.write(dir.resolve("utf16-spec.json"), "{}".getBytes(StandardCharsets.UTF_16));
        text(
                "huge-spec.json",
                MoeLayerSpec.of(RouterPresets.mixtral(64, 2), new SwiGluExpertSpec(64, 4096, 14336))
                        .toJson());
    }

    private void text(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** A file of the given length without its blocks written. */
    private static void sparse(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    /** A grayscale PNG of any declared size with the given IDAT data. */
    private static byte[] png(int width, int height, byte[] idat) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
            throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** Deflated scan lines of zeros: a few kilobytes that inflate to width x height bytes. */
    private static byte[] zeros(int width, int height) {
        Deflater deflater = new Deflater(9);
        byte[] row = new byte[width + 1];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /** A BMP header declaring width x height 8-bit pixels, with no pixels. */
    private static byte[] bmp(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(54 + 1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54 + 1024).putInt(0).putInt(54 + 1024);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 8);
        b.putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(256).putInt(0);
        return b.array();
    }
}
