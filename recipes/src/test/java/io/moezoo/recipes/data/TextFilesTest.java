package io.moezoo.recipes.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict, bounded UTF-8 reading of user files, with the exact messages. */
class TextFilesTest {

    @TempDir Path dir;

    private String refusal(byte[] bytes) {
        return assertThrows(InvalidTextException.class, () -> TextFiles.decodeUtf8(bytes, "in.csv"))
                .getMessage();
    }

    @Test
    void utf8IsDecodedAndItsByteOrderMarkDropped() throws Exception {
        assertEquals(
                "caf\u00e9",
                TextFiles.decodeUtf8("caf\u00e9".getBytes(StandardCharsets.UTF_8), "x"));
        assertEquals(
                "a,b",
                TextFiles.decodeUtf8(
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', ',', 'b'}, "x"));
        assertEquals("", TextFiles.decodeUtf8(new byte[0], "x"));
    }

    @Test
    void otherEncodingsAndBinaryAreRefusedByName() {
        assertEquals(
                "in.csv is UTF-16LE text (by its byte order mark); it must be UTF-8",
                refusal(new byte[] {(byte) 0xFF, (byte) 0xFE, 'v', 0, '\n', 0}));
        assertEquals(
                "in.csv is UTF-16BE text (by its byte order mark); it must be UTF-8",
                refusal("v".getBytes(StandardCharsets.UTF_16)));
        assertEquals(
                "in.csv is UTF-32BE text (by its byte order mark); it must be UTF-8",
                refusal(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF, 0, 0, 0, 'v'}));
        assertEquals(
                "in.csv is UTF-32LE text (by its byte order mark); it must be UTF-8",
                refusal(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0, 'v', 0, 0, 0}));
        assertEquals(
                "in.csv has a NUL byte at offset 1: binary or UTF-16 data, not UTF-8 text",
                refusal("v\n".getBytes(StandardCharsets.UTF_16LE)));
        assertEquals(
                "in.csv is not valid UTF-8 text: malformed byte sequence at offset 3 (save it as"
                        + " UTF-8)",
                refusal(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'}));
        assertEquals(
                "in.csv is not valid UTF-8 text: malformed byte sequence at offset 1 (save it as"
                        + " UTF-8)",
                refusal(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    }

    @Test
    void filesAreBoundedAndMustBeRegular() throws Exception {
        Path file = Files.writeString(dir.resolve("s.csv"), "v\n1\n");
        assertEquals("v\n1\n", TextFiles.readUtf8(file, 4));
        assertEquals(
                file + " is 4 bytes; at most 3 bytes are accepted",
                assertThrows(InvalidTextException.class, () -> TextFiles.readUtf8(file, 3))
                        .getMessage());
        assertEquals(
                dir + " is a directory, not a file",
                assertThrows(InvalidTextException.class, () -> TextFiles.readUtf8(dir, 10))
                        .getMessage());
        Path missing = dir.resolve("none.csv");
        assertEquals(
                missing + " not found",
                assertThrows(InvalidTextException.class, () -> TextFiles.readUtf8(missing, 10))
                        .getMessage());
        assertEquals(
                "/dev/zero is not a regular file (a device, FIFO or socket)",
                assertThrows(
                                InvalidTextException.class,
                                () -> TextFiles.readUtf8(Path.of("/dev/zero"), 10))
                        .getMessage());
        assertEquals(
                "standard input holds more than 2 bytes, the most accepted",
                assertThrows(
                                InvalidTextException.class,
                                () ->
                                        TextFiles.readAtMost(
                                                new ByteArrayInputStream(new byte[3]),
                                                2,
                                                "standard input"))
                        .getMessage());
    }
}
