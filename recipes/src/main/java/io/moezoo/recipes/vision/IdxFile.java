package io.moezoo.recipes.vision;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An unsigned-byte tensor in the IDX format of MNIST and Fashion-MNIST ({@code *-idx3-ubyte},
 * {@code *-idx1-ubyte}, optionally gzip-compressed).
 *
 * <p>Format: a big-endian magic number {@code 0x00 0x00 type rank} where type {@code 0x08} is
 * unsigned byte, then {@code rank} big-endian int32 dimensions, then the values in row-major order.
 * Reading checks the magic number, the expected rank, that every dimension is positive, that the
 * payload has exactly the declared length, and that nothing follows it.
 *
 * @param dims the dimensions
 * @param data the values, row-major, as unsigned bytes stored in Java bytes ({@code v & 0xFF})
 */
public record IdxFile(int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * Reads an IDX file, gunzipping it if its name ends with {@code .gz}.
     *
     * @param file the file
     * @param expectedRank the number of dimensions the caller needs (3 for images, 1 for labels)
     * @return the tensor
     * @throws IOException if the file cannot be read or is not a valid IDX file of that rank; the
     *     message names the file and the problem
     */
    public static IdxFile read(Path file, int expectedRank) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in =
                        file.getFileName().toString().endsWith(".gz")
                                ? new GZIPInputStream(raw, 1 << 16)
                                : new BufferedInputStream(raw, 1 << 16)) {
            return read(in, expectedRank, file.toString());
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not a valid gzip file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads an IDX tensor from a stream.
     *
     * @param stream the uncompressed IDX bytes
     * @param expectedRank the number of dimensions the caller needs
     * @param source a name for error messages
     * @return the tensor
     * @throws IOException if the stream is not a valid IDX tensor of that rank
     */
    public static IdxFile read(InputStream stream, int expectedRank, String source)
            throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IOException(source + ": truncated IDX header (no magic number)", e);
        }
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE) {
            throw new IOException(
                    String.format(
                            "%s: bad IDX magic number 0x%08X; expected 0x0000%02X%02X (unsigned"
                                    + " bytes, rank %d)",
                            source, magic, UNSIGNED_BYTE, expectedRank, expectedRank));
        }
        if (rank != expectedRank) {
            throw new IOException(source + ": IDX rank is " + rank + ", expected " + expectedRank);
        }
        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new IOException(
                        source + ": truncated IDX header (dimension " + i + " missing)", e);
            }
            if (dims[i] <= 0) {
                throw new IOException(source + ": IDX dimension " + i + " is " + dims[i]);
            }
            elements *= dims[i];
            if (elements > MAX_ELEMENTS) {
                throw new IOException(
                        source + ": IDX tensor " + Arrays.toString(dims) + " is too large");
            }
        }
        byte[] data = new byte[(int) elements];
        int read = in.readNBytes(data, 0, data.length);
        if (read != data.length) {
            throw new IOException(
                    source
                            + ": IDX payload is truncated: "
                            + read
                            + " of "
                            + data.length
                            + " bytes for dims "
                            + Arrays.toString(dims));
        }
        if (in.read() != -1) {
            throw new IOException(
                    source
                            + ": trailing bytes after the "
                            + data.length
                            + "-byte IDX payload for dims "
                            + Arrays.toString(dims));
        }
        return new IdxFile(dims, data);
    }
}
