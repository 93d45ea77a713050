package io.moezoo.recipes.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingTraceTest {

    @TempDir Path dir;

    @Test
    void writesAndReadsPlainAndGzip() throws IOException {
        RoutingTrace t = TraceReplayTest.tinyTrace();
        for (String name : new String[] {"t.trace", "t.trace.gz"}) {
            Path file = dir.resolve(name);
            t.write(file);
            RoutingTrace back = RoutingTrace.read(file);
            assertEquals(t.model(), back.model());
            assertEquals(t.source(), back.source());
            assertEquals(4, back.sequences().size());
            assertEquals(12, back.totalTokens());
            assertArrayEquals(
                    t.sequences().get(1).choices()[0], back.sequences().get(1).choices()[0]);
        }
        String text = Files.readString(dir.resolve("t.trace"), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("moezoo-routing-trace/1\nmodel tiny\n"));
        assertTrue(text.contains("\nseq 3\n2 0 2 3 1 -1\n"));
    }

    @Test
    void namesTheBadLine() throws IOException {
        Path file = dir.resolve("bad.trace");
        TraceReplayTest.tinyTrace().write(file);
        String text = Files.readString(file).replace("2 0 2 3 1 -1", "2 0 2 3 9 -1");
        Files.writeString(file, text);
        IOException e = assertThrows(IOException.class, () -> RoutingTrace.read(file));
        assertTrue(e.getMessage().contains("out of range: 9"), e.getMessage());
        Files.writeString(file, text.replace("2 0 2 3 9 -1", "2 0 2"));
        e = assertThrows(IOException.class, () -> RoutingTrace.read(file));
        assertTrue(e.getMessage().contains(":13: expected 6 expert ids"), e.getMessage());
    }

    @Test
    void splicesTablesBetweenMarkers() throws IOException {
        String doc = "a\n<!-- ep-sim:begin -->\nold\n<!-- ep-sim:end -->\nb\n";
        assertEquals(
                "a\n<!-- ep-sim:begin -->\nnew\n<!-- ep-sim:end -->\nb\n",
                ExpertParallelSimulation.splice(doc, "new\n"));
        assertThrows(IOException.class, () -> ExpertParallelSimulation.splice("x", "y"));
    }
}
