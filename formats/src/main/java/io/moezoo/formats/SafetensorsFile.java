package io.moezoo.formats;

import ai.djl.ndarray.types.Shape;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One safetensors file: an 8-byte little-endian header length N, N bytes of JSON header, then the
 * data section.
 *
 * <p>{@link #open} validates the whole header before anything is read, as the reference
 * implementation ({@code huggingface/safetensors}) defines a valid file: a regular file; N at most
 * {@value #MAX_HEADER} bytes and within the file; the header strict UTF-8 and one JSON object
 * (strict syntax, no duplicate keys); {@code __metadata__} absent, null or an object of strings;
 * every other entry a tensor with a known {@code dtype}, a {@code shape} of non-negative integers
 * and two integer {@code data_offsets}, whose byte length is elements × dtype size (overflow
 * checked). Sorted by offsets, the tensors must tile the data section exactly: the first begins at
 * 0, each begins where the previous one ended (no hole, no overlap, no two tensors sharing bytes)
 * and the last ends at the end of the file. Tensor data is memory-mapped one tensor at a time, so
 * files larger than 2 GiB work and nothing is read twice.
 *
 * <p>Block-quantised tensors ({@link QuantizedSafetensors}) are validated against the metadata that
 * declares them.
 */
public final class SafetensorsFile {

    /** The largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER = 100_000_000L;

    private final Path path;
    private final long dataStart;
    private final long fileSize;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(
            Path path,
            long dataStart,
            long fileSize,
            Map<String, TensorInfo> tensors,
            Map<String, String> metadata) {
        this.path = path;
        this.dataStart = dataStart;
        this.fileSize = fileSize;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens and validates a file.
     *
     * @param path the file
     * @return the validated file
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file is not a valid safetensors file
     */
    public static SafetensorsFile open(Path path) throws IOException, MalformedCheckpointException {
        CheckpointFiles.requireRegularFile(path, Long.MAX_VALUE);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw malformed(
                        path, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw malformed(
                        path,
                        "header length "
                                + Long.toUnsignedString(headerLength)
                                + " does not fit the file of "
                                + size
                                + " bytes (or exceeds "
                                + MAX_HEADER
                                + ", or is below 2)");
            }
            long dataStart = 8 + headerLength;
            // Streamed through a strict decoder: a header of up to 100 MB is never held as text.
            InputStream in =
                    new BoundedInputStream(
                            Channels.newInputStream(channel.position(8)), headerLength);
            Reader reader =
                    new InputStreamReader(
                            in,
                            StandardCharsets.UTF_8
                                    .newDecoder()
                                    .onMalformedInput(CodingErrorAction.REPORT)
                                    .onUnmappableCharacter(CodingErrorAction.REPORT));
            SafetensorsHeader header;
            try {
                header = SafetensorsHeader.parse(path, reader, size - dataStart);
            } catch (CharacterCodingException e) {
                throw new MalformedCheckpointException(path + ": header is not valid UTF-8", e);
            }
            Map<String, BlockFormat> formats =
                    QuantizedSafetensors.formats(path, header.metadata(), header.tensors());
            Map<String, TensorInfo> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.tensors()) {
                tensors.put(
                        e.name(),
                        new TensorInfo(
                                path,
                                e.name(),
                                e.dtype(),
                                new Shape(e.shape()),
                                dataStart + e.begin(),
                                e.end() - e.begin(),
                                formats.get(e.name())));
            }
            return new SafetensorsFile(
                    path,
                    dataStart,
                    size,
                    Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(header.metadata()));
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("Unexpected end of file");
            }
            at += n;
        }
    }

    private static MalformedCheckpointException malformed(Path path, String message) {
        return new MalformedCheckpointException(path + ": " + message);
    }

    /** Reads at most a given number of bytes of a stream. */
    private static final class BoundedInputStream extends FilterInputStream {

        private long left;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() {
            // The channel belongs to the caller.
        }
    }

    /**
     * Returns the file path.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the validated tensor entries by key, in header order.
     *
     * @return the tensors
     */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /**
     * Returns the {@code __metadata__} entries.
     *
     * @return the metadata
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns the offset of the data section.
     *
     * @return the data start
     */
    public long dataStart() {
        return dataStart;
    }

    /**
     * Maps a tensor's bytes (little-endian).
     *
     * @param tensor a tensor of this file
     * @return a read-only buffer over exactly the tensor's bytes
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file shrank since it was opened or the tensor is
     *     larger than 2 GiB
     */
    public ByteBuffer map(TensorInfo tensor) throws IOException, MalformedCheckpointException {
        return map(tensor, 0, tensor.length());
    }

    /**
     * Maps part of a tensor's bytes (little-endian), so that tensors larger than 2 GiB can be read
     * piece by piece.
     *
     * @param tensor a tensor of this file
     * @param from the first byte, relative to the tensor's data
     * @param length the bytes to map, at most 2 GiB - 1
     * @return a read-only buffer over exactly those bytes
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file shrank since it was opened or the window is
     *     larger than 2 GiB
     * @throws IllegalArgumentException if the window is not inside the tensor
     */
    public ByteBuffer map(TensorInfo tensor, long from, long length)
            throws IOException, MalformedCheckpointException {
        if (from < 0 || length < 0 || from > tensor.length() - length) {
            throw new IllegalArgumentException(
                    "bytes ["
                            + from
                            + ", "
                            + from
                            + " + "
                            + length
                            + ") are not inside tensor '"
                            + tensor.name()
                            + "' of "
                            + tensor.length()
                            + " bytes");
        }
        if (length > Integer.MAX_VALUE) {
            throw malformed(
                    path,
                    "tensor '"
                            + tensor.name()
                            + "' is larger than 2 GiB, which one mapping cannot hold");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            // Reading a mapping past the end of a file crashes the JVM (SIGBUS): check first.
            if (size != fileSize || tensor.begin() + tensor.length() > size) {
                throw malformed(
                        path,
                        "file changed size since it was opened ("
                                + fileSize
                                + " -> "
                                + size
                                + " bytes) while reading '"
                                + tensor.name()
                                + "'");
            }
            if (length == 0) {
                return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, tensor.begin() + from, length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
