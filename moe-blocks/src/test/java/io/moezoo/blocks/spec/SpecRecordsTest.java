package io.moezoo.blocks.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SpecRecords}: a required-fields record from text and files, and each kind of bad input.
 */
class SpecRecordsTest {

    /** A small record spec whose constructor validates. */
    record Window(String name, int width, List<String> labels) {
        Window {
            if (width <= 0) {
                throw new IllegalArgumentException("Invalid window: width must be > 0");
            }
        }
    }

    @Test
    void readsTextAndFiles(@TempDir Path dir) throws IOException {
        String json = "{\"name\": \"w\", \"width\": 3, \"labels\": [\"a\", \"b\"]}";
        Window expected = new Window("w", 3, List.of("a", "b"));
        assertEquals(expected, SpecRecords.parseRecord(Window.class, json, "window"));
        Path file = dir.resolve("window.json");
        Files.writeString(file, json);
        assertEquals(expected, SpecRecords.readRecordFile(Window.class, file, "window"));
    }

    @Test
    void badInputIsNamed(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {"{\"name\": \"w\", \"width\": 3", "Invalid window JSON"},
            {"[1, 2]", "Invalid window: expected a JSON object"},
            {"{\"name\": \"w\", \"labels\": []}", "field \"width\" is missing"},
            {"{\"name\": \"w\", \"width\": 3, \"labels\": [], \"x\": 1}", "unknown field \"x\""},
            {"{\"name\": \"w\", \"width\": 0, \"labels\": []}", "width must be > 0"},
        };
        for (String[] c : cases) {
            SpecJsonException e =
                    assertThrows(
                            SpecJsonException.class,
                            () -> SpecRecords.parseRecord(Window.class, c[0], "window"));
            assertTrue(e.getMessage().contains(c[1]), c[1] + " in " + e.getMessage());
        }
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "[]");
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> SpecRecords.readRecordFile(Window.class, file, "window"));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertThrows(
                IOException.class,
                () -> SpecRecords.readRecordFile(Window.class, dir.resolve("none.json"), "window"));
    }
}
