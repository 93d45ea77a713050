package io.moezoo.formats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the small text files of a checkpoint or model directory ({@code config.json}, {@code
 * model.safetensors.index.json}, {@code tokenizer.json}, a zoo {@code model.json}) as untrusted
 * input: each must be a regular file (a symbolic link is followed, but a device such as {@code
 * /dev/zero}, a FIFO, a socket or a directory is refused before it is opened, so nothing blocks or
 * reads forever), no larger than its cap, and strict UTF-8 (a malformed byte or a byte-order mark
 * is an error naming the file and the offset). Errors are {@link MalformedCheckpointException}s.
 */
public final class CheckpointFiles {

    /** Cap of {@code config.json} and of a zoo {@code model.json}: 1 MiB (real ones are KiB). */
    public static final long MAX_CONFIG_BYTES = 1L << 20;

    /**
     * Cap of {@code model.safetensors.index.json}: 32 MiB (the largest hub indexes, with FP8 scale
     * tensors of hundreds of experts, are around 10 MB).
     */
    public static final long MAX_INDEX_BYTES = 32L << 20;

    /** Cap of a tokenizer file ({@code tokenizer.json}): 64 MiB (GPT-2's is 1.4 MB). */
    public static final long MAX_TOKENIZER_BYTES = 64L << 20;

    /** The file name of a Hugging Face tokenizer in a model directory. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private CheckpointFiles() {}

    /**
     * Checks that a path is a regular file (following links) no larger than a cap, without opening
     * it.
     *
     * @param file the file
     * @param maxBytes the cap
     * @return the file size
     * @throws IOException if the attributes cannot be read
     * @throws MalformedCheckpointException if it is missing, not a regular file or too large
     */
    public static long requireRegularFile(Path file, long maxBytes)
            throws IOException, MalformedCheckpointException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new MalformedCheckpointException(
                    file + ": no such file" + (Files.isSymbolicLink(file) ? " (broken link)" : ""),
                    e);
        }
        if (attributes.isDirectory()) {
            throw new MalformedCheckpointException(file + ": is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new MalformedCheckpointException(
                    file
                            + ": is not a regular file (a device, FIFO or socket); refusing to read it");
        }
        if (attributes.size() > maxBytes) {
            throw new MalformedCheckpointException(
                    file
                            + ": is "
                            + attributes.size()
                            + " bytes, more than the limit of "
                            + maxBytes
                            + " bytes");
        }
        return attributes.size();
    }

    /**
     * Reads a bounded regular file as strict UTF-8.
     *
     * @param file the file
     * @param maxBytes the cap
     * @return the text
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if it is not a regular file, exceeds the cap or is not
     *     valid UTF-8
     */
    public static String readUtf8(Path file, long maxBytes)
            throws IOException, MalformedCheckpointException {
        requireRegularFile(file, maxBytes);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // The file may have grown since its size was checked: never read past the cap.
            bytes = in.readNBytes(Math.toIntExact(Math.min(maxBytes + 1, Integer.MAX_VALUE - 8)));
        }
        if (bytes.length > maxBytes) {
            throw new MalformedCheckpointException(
                    file + ": is more than the limit of " + maxBytes + " bytes");
        }
        checkNoByteOrderMark(file, bytes, bytes.length);
        try {
            return decoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw notUtf8(file, firstMalformed(bytes), e);
        }
    }

    /**
     * Checks a bounded regular file is strict UTF-8 without keeping its text (for tokenizer files
     * that a native library reads next).
     *
     * @param file the file
     * @param maxBytes the cap
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if it is not a regular file, exceeds the cap or is not
     *     valid UTF-8
     */
    public static void checkUtf8(Path file, long maxBytes)
            throws IOException, MalformedCheckpointException {
        requireRegularFile(file, maxBytes);
        CharsetDecoder decoder = decoder();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long offset = 0;
        try (InputStream stream = Files.newInputStream(file)) {
            boolean first = true;
            while (true) {
                int n = stream.read(in.array(), in.position(), in.remaining());
                boolean end = n < 0;
                if (!end) {
                    in.position(in.position() + n);
                    if (offset + in.position() > maxBytes) {
                        throw new MalformedCheckpointException(
                                file + ": is more than the limit of " + maxBytes + " bytes");
                    }
                }
                in.flip();
                if (first && (in.remaining() >= 3 || end)) {
                    checkNoByteOrderMark(file, in.array(), in.limit());
                    first = false;
                }
                int before = in.position();
                CoderResult result = decoder.decode(in, out, end);
                if (result.isError()) {
                    throw notUtf8(file, offset + in.position(), null);
                }
                out.clear();
                offset += in.position() - before;
                in.compact();
                if (end) {
                    break;
                }
            }
            in.flip();
            if (decoder.flush(out).isError() || in.hasRemaining()) {
                throw notUtf8(file, offset, null);
            }
        }
    }

    /**
     * Resolves an untrusted file name (of a shard index) inside a directory, if it is a plain name:
     * not empty, at most 255 characters, no path separator or control character, not {@code .} or
     * {@code ..}, so that it cannot leave the directory.
     *
     * @param dir the directory
     * @param name the file name
     * @return {@code dir/name}, or null if the name is not plain
     */
    public static Path plainFileIn(Path dir, String name) {
        boolean plain =
                !name.isEmpty()
                        && name.length() <= 255
                        && !name.equals(".")
                        && !name.equals("..")
                        && name.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20);
        if (!plain) {
            return null;
        }
        Path file = dir.resolve(name);
        return dir.equals(file.getParent()) ? file : null;
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static void checkNoByteOrderMark(Path file, byte[] bytes, int length)
            throws MalformedCheckpointException {
        if (length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf) {
            throw new MalformedCheckpointException(
                    file + ": starts with a byte-order mark; expected plain UTF-8 JSON");
        }
    }

    private static long firstMalformed(byte[] bytes) {
        CharsetDecoder decoder = decoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        return in.position();
    }

    private static MalformedCheckpointException notUtf8(Path file, long offset, Throwable cause) {
        return new MalformedCheckpointException(
                file + ": is not valid UTF-8 (malformed byte at offset " + offset + ")", cause);
    }

    /**
     * Checks the {@value #TOKENIZER_FILE} of a model directory, if there is one, before a native
     * tokenizer reads it: a regular file of at most {@link #MAX_TOKENIZER_BYTES} in strict UTF-8.
     * DJL builds the block before the translator, so a block factory that calls this checks the
     * tokenizer of a model loaded through a {@code Criteria} first.
     *
     * @param dir the model directory
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file is not a bounded regular UTF-8 file
     */
    public static void checkTokenizer(Path dir) throws IOException, MalformedCheckpointException {
        Path tokenizer = dir.resolve(TOKENIZER_FILE);
        if (Files.exists(tokenizer, LinkOption.NOFOLLOW_LINKS)) {
            checkUtf8(tokenizer, MAX_TOKENIZER_BYTES);
        }
    }
}
