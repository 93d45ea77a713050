package io.moezoo.recipes.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads user-supplied text strictly: a regular file (or a stream) of at most a given size, decoded
 * as UTF-8 with every malformed byte reported, never replaced. A leading UTF-8 byte order mark is
 * dropped; UTF-16 and UTF-32 text (by their byte order marks) and binary data (NUL bytes) are
 * refused by name. Every failure is an {@link InvalidTextException} whose message names the input
 * and says UTF-8 where the encoding is the problem.
 */
public final class TextFiles {

    private TextFiles() {}

    /**
     * Reads a text file.
     *
     * @param file the file
     * @param maxBytes the largest accepted size in bytes
     * @return the text, without a UTF-8 byte order mark
     * @throws InvalidTextException if the file is missing, not a regular file, unreadable, larger
     *     than {@code maxBytes}, or not UTF-8 text
     * @throws IOException if reading fails otherwise
     */
    public static String readUtf8(Path file, long maxBytes) throws IOException {
        if (Files.isDirectory(file)) {
            throw new InvalidTextException(file + " is a directory, not a file");
        }
        if (!Files.exists(file)) {
            throw new InvalidTextException(file + " not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidTextException(
                    file + " is not a regular file (a device, FIFO or socket)");
        }
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new InvalidTextException(
                    String.format(
                            Locale.ROOT,
                            "%s is %,d bytes; at most %,d bytes are accepted",
                            file,
                            size,
                            maxBytes));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return decodeUtf8(readAtMost(in, maxBytes, file.toString()), file.toString());
        } catch (AccessDeniedException e) {
            throw new InvalidTextException("permission denied reading " + file);
        }
    }

    /**
     * Reads a stream to its end, refusing more than {@code maxBytes}.
     *
     * @param in the stream
     * @param maxBytes the largest accepted size
     * @param source the name of the input, for messages
     * @return the bytes
     * @throws InvalidTextException if the stream holds more than {@code maxBytes}
     * @throws IOException if reading fails
     */
    public static byte[] readAtMost(InputStream in, long maxBytes, String source)
            throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new InvalidTextException(
                    String.format(
                            Locale.ROOT,
                            "%s holds more than %,d bytes, the most accepted",
                            source,
                            maxBytes));
        }
        return bytes;
    }

    /**
     * Decodes bytes as UTF-8 text.
     *
     * @param bytes the bytes
     * @param source the name of the input, for messages
     * @return the text, without a UTF-8 byte order mark
     * @throws InvalidTextException if the bytes are UTF-16 or UTF-32 text, contain NUL bytes, or
     *     are not valid UTF-8
     */
    public static String decodeUtf8(byte[] bytes, String source) throws InvalidTextException {
        String bom = foreignByteOrderMark(bytes);
        if (bom != null) {
            throw new InvalidTextException(
                    source + " is " + bom + " text (by its byte order mark); it must be UTF-8");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new InvalidTextException(
                        source
                                + " has a NUL byte at offset "
                                + i
                                + ": binary or UTF-16 data, not UTF-8 text");
            }
        }
        int start =
                bytes.length >= 3
                                && bytes[0] == (byte) 0xEF
                                && bytes[1] == (byte) 0xBB
                                && bytes[2] == (byte) 0xBF
                        ? 3
                        : 0;
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, start, bytes.length - start);
        try {
            return decoder.decode(buffer).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTextException(
                    source
                            + " is not valid UTF-8 text: malformed byte sequence at offset "
                            + buffer.position()
                            + " (save it as UTF-8)");
        }
    }

    /** The encoding named by a UTF-16 or UTF-32 byte order mark, or null. */
    private static String foreignByteOrderMark(byte[] b) {
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == (byte) 0xFE && b[3] == (byte) 0xFF) {
            return "UTF-32BE";
        }
        if (b.length >= 4 && b[0] == (byte) 0xFF && b[1] == (byte) 0xFE && b[2] == 0 && b[3] == 0) {
            return "UTF-32LE";
        }
        if (b.length >= 2 && b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) {
            return "UTF-16BE";
        }
        if (b.length >= 2 && b[0] == (byte) 0xFF && b[1] == (byte) 0xFE) {
            return "UTF-16LE";
        }
        return null;
    }
}
