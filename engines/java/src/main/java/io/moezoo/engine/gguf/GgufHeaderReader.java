package io.moezoo.engine.gguf;

import io.moezoo.formats.MalformedCheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the little-endian header of a GGUF file sequentially through a small buffer, refusing any
 * length or count before it allocates: a string or an array must fit in the bytes the file has left
 * and in the header budget, so a hostile file can neither exhaust memory nor read past its end.
 */
final class GgufHeaderReader {

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final long budgetEnd;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long bufferStart;
    private long elements;

    GgufHeaderReader(Path path, FileChannel channel, long size, long maxHeaderBytes) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.budgetEnd = Math.min(size, maxHeaderBytes);
        buffer.limit(0);
    }

    /** The absolute position of the next byte. */
    long position() {
        return bufferStart + buffer.position();
    }

    /** Bytes left before the end of the file or of the header budget. */
    long remaining() {
        return budgetEnd - position();
    }

    MalformedCheckpointException error(String field, String problem) {
        return new MalformedCheckpointException(path + ": " + field + ": " + problem);
    }

    private void need(int bytes, String field) throws IOException, MalformedCheckpointException {
        if (buffer.remaining() >= bytes) {
            return;
        }
        if (position() + bytes > budgetEnd) {
            throw error(
                    field,
                    "the file ends (or the header exceeds its "
                            + budgetEnd
                            + "-byte limit) at byte "
                            + position()
                            + ", before this "
                            + bytes
                            + "-byte value");
        }
        bufferStart = position();
        buffer.compact();
        long at = bufferStart + buffer.position();
        while (buffer.position() < bytes) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw error(field, "unexpected end of file at byte " + at);
            }
            at += n;
        }
        buffer.flip();
    }

    int u8(String field) throws IOException, MalformedCheckpointException {
        need(1, field);
        return buffer.get() & 0xff;
    }

    int u16(String field) throws IOException, MalformedCheckpointException {
        need(2, field);
        return buffer.getShort() & 0xffff;
    }

    long u32(String field) throws IOException, MalformedCheckpointException {
        need(4, field);
        return buffer.getInt() & 0xffffffffL;
    }

    long u64(String field) throws IOException, MalformedCheckpointException {
        need(8, field);
        return buffer.getLong();
    }

    /** A u64 count or length that must fit the bytes left at {@code minBytes} per item. */
    long count(String field, long max, long minBytes)
            throws IOException, MalformedCheckpointException {
        long n = u64(field);
        if (n < 0 || n > max) {
            throw error(field, "count " + Long.toUnsignedString(n) + " exceeds the limit " + max);
        }
        if (minBytes > 0 && n > remaining() / minBytes) {
            throw error(
                    field,
                    "count "
                            + n
                            + " needs at least "
                            + n * minBytes
                            + " bytes, but only "
                            + remaining()
                            + " are left in the file");
        }
        return n;
    }

    String string(String field, long maxBytes) throws IOException, MalformedCheckpointException {
        int length = (int) count(field + " (string length)", maxBytes, 1);
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            need(1, field);
            int n = Math.min(length - done, buffer.remaining());
            buffer.get(bytes, done, n);
            done += n;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw error(field, "is not valid UTF-8");
        }
    }

    /**
     * One metadata value of a known type (arrays: of scalars or strings; the elements of all arrays
     * together at most {@code maxArray}).
     */
    GgufValue value(GgufValueType type, String field, long maxString, long maxArray)
            throws IOException, MalformedCheckpointException {
        if (type != GgufValueType.ARRAY) {
            return new GgufValue(type, null, scalar(type, field, maxString));
        }
        long elementId = u32(field + " (array element type)");
        GgufValueType element = GgufValueType.of(elementId);
        if (element == null || element == GgufValueType.ARRAY) {
            throw error(
                    field,
                    "array element type "
                            + elementId
                            + (element == null
                                    ? " is unknown"
                                    : " (nested arrays are not allowed)"));
        }
        long n = count(field + " (array length)", maxArray - elements, element.minBytes());
        elements += n;
        List<Object> elements = new ArrayList<>((int) Math.min(n, 1024));
        for (long i = 0; i < n; i++) {
            elements.add(scalar(element, field + "[" + i + "]", maxString));
        }
        return new GgufValue(GgufValueType.ARRAY, element, elements);
    }

    private Object scalar(GgufValueType type, String field, long maxString)
            throws IOException, MalformedCheckpointException {
        return switch (type) {
            case UINT8 -> (long) u8(field);
            case INT8 -> (long) (byte) u8(field);
            case UINT16 -> (long) u16(field);
            case INT16 -> (long) (short) u16(field);
            case UINT32 -> u32(field);
            case INT32 -> (long) (int) u32(field);
            case UINT64, INT64 -> u64(field);
            case FLOAT32 -> Float.intBitsToFloat((int) u32(field));
            case FLOAT64 -> Double.longBitsToDouble(u64(field));
            case BOOL -> u8(field) != 0;
            case STRING -> string(field, maxString);
            case ARRAY -> throw new IllegalStateException("arrays are not scalars");
        };
    }
}
