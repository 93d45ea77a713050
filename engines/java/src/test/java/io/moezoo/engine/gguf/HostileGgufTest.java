package io.moezoo.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.formats.MalformedCheckpointException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile GGUF files are refused with a {@link MalformedCheckpointException} that names the file
 * and the problem, in this JVM and in a child JVM of 24 MB heap (no allocation in proportion to an
 * untrusted count); so is every truncation of a valid file, and valid files whose metadata and
 * tensors disagree.
 */
class HostileGgufTest {

    @TempDir Path dir;

    @Test
    void structuralAttacksAreRefused() throws Exception {
        for (Map.Entry<String, Object[]> c : HostileGgufCases.all().entrySet()) {
            Path file = dir.resolve(c.getKey().replace(' ', '_') + ".gguf");
            Files.write(file, (byte[]) c.getValue()[0]);
            MalformedCheckpointException e =
                    assertThrows(
                            MalformedCheckpointException.class,
                            () -> GgufFile.open(file),
                            c.getKey());
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(
                    e.getMessage().contains((String) c.getValue()[1]),
                    c.getKey() + ": " + e.getMessage());
        }
    }

    @Test
    void structuralAttacksAreRefusedInASmallHeap() throws Exception {
        Path cases = Files.createDirectories(dir.resolve("cases"));
        for (Map.Entry<String, Object[]> c : HostileGgufCases.all().entrySet()) {
            Files.write(
                    cases.resolve(c.getKey().replace(' ', '_') + ".gguf"),
                    (byte[]) c.getValue()[0]);
        }
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx24m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        HostileGgufMain.class.getName(),
                        cases.toString());
        Path out = dir.resolve("out.txt");
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.contains(".gguf\t")) {
                lines.add(line);
            }
        }
        assertEquals(HostileGgufCases.all().size(), lines.size(), text);
        for (String line : lines) {
            assertTrue(
                    line.contains("\t" + MalformedCheckpointException.class.getName() + "\t"),
                    line);
        }
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        Path valid = dir.resolve("valid.gguf");
        GgufExport.export(GgufTestFiles.fixtures().resolve("mixtral"), valid, GgufType.F32);
        byte[] bytes = Files.readAllBytes(valid);
        GgufFile file = GgufFile.open(valid);
        long end = 0;
        for (GgufTensorInfo t : file.tensors().values()) {
            end = Math.max(end, t.position() + t.bytes());
        }
        Path cut = dir.resolve("cut.gguf");
        int step = Math.max(1, (int) ((end - file.dataStart()) / 200));
        for (int n = 0; n < end; n += n < file.dataStart() ? 1 : step) {
            Files.write(cut, java.util.Arrays.copyOf(bytes, n));
            final int length = n;
            assertThrows(
                    MalformedCheckpointException.class,
                    () -> GgufFile.open(cut),
                    () -> "truncated to " + length + " bytes");
        }
    }

    @Test
    void metadataThatDisagreesWithTheTensorsIsRefused() throws Exception {
        Path valid = dir.resolve("valid.gguf");
        GgufExport.export(GgufTestFiles.fixtures().resolve("mixtral"), valid, GgufType.F32);
        GgufFile file = GgufFile.open(valid);
        expectRefused(
                file,
                m -> m.put("general.architecture", GgufValue.string("gptneox")),
                "not supported");
        expectRefused(file, m -> m.put("llama.block_count", GgufValue.u32(3)), "blk.2");
        expectRefused(
                file, m -> m.put("llama.embedding_length", GgufValue.string("16")), "integer");
        expectRefused(
                file, m -> m.put("llama.expert_count", GgufValue.u32(1L << 31)), "expert_count");
        expectRefused(
                file,
                m -> m.put("llama.expert_count", GgufValue.u32(1_000_000)),
                "num_local_experts");
        expectRefused(
                file,
                m ->
                        m.put(
                                "llama.attention.head_count",
                                GgufValue.array(GgufValueType.UINT32, List.of(4L, 4L))),
                "per-layer");
        expectRefused(file, m -> m.remove("llama.expert_count"), "dense model");
        expectRefused(file, m -> m.put("llama.feed_forward_length", GgufValue.u32(25)), "shape");
        expectRefused(file, m -> m.put("llama.context_length", GgufValue.u32(0)), "context_length");
        // A tensor the architecture does not use.
        GgufWriter extra = copy(file, m -> {});
        extra.addTensor(
                "rope_freqs.weight",
                GgufType.F32,
                new long[] {2},
                out -> out.write(ByteBuffer.allocate(8)));
        Path path = dir.resolve("extra.gguf");
        extra.write(path);
        MalformedCheckpointException e =
                assertThrows(MalformedCheckpointException.class, () -> GgufSource.open(path));
        assertTrue(e.getMessage().contains("rope_freqs.weight"), e.getMessage());
    }

    @Test
    void gptOssMetadataThatDisagreesWithItsMxfp4ExpertsIsRefused() throws Exception {
        Path valid = dir.resolve("oss.gguf");
        GgufExport.export(GgufTestFiles.fixtures().resolve("gpt_oss"), valid, GgufType.F32);
        GgufFile file = GgufFile.open(valid);
        // The MXFP4 experts hold 1 block of 32 per row: 2 blocks a row by the metadata.
        expectRefused(
                file,
                m -> m.put("gpt-oss.expert_feed_forward_length", GgufValue.u32(64)),
                "ffn_gate_exps.weight' has shape");
        expectRefused(file, m -> m.put("gpt-oss.embedding_length", GgufValue.u32(64)), "has shape");
        expectRefused(
                file, m -> m.put("gpt-oss.expert_gating_func", GgufValue.u32(1)), "softmax-weight");
        expectRefused(file, m -> m.remove("gpt-oss.attention.sliding_window"), "sliding_window");
        expectRefused(
                file,
                m -> m.put("gpt-oss.rope.scaling.type", GgufValue.string("longrope")),
                "not supported");
    }

    private void expectRefused(
            GgufFile file, Consumer<Map<String, GgufValue>> edit, String fragment)
            throws Exception {
        Path path = dir.resolve("edited.gguf");
        copy(file, edit).write(path);
        MalformedCheckpointException e =
                assertThrows(
                        MalformedCheckpointException.class, () -> GgufSource.open(path), fragment);
        assertTrue(e.getMessage().contains(fragment), fragment + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    }

    /** A writer holding a file's tensors (raw bytes) and its metadata, edited. */
    private static GgufWriter copy(GgufFile file, Consumer<Map<String, GgufValue>> edit) {
        Map<String, GgufValue> metadata = new LinkedHashMap<>(file.metadata());
        edit.accept(metadata);
        GgufWriter w = new GgufWriter();
        metadata.forEach(w::put);
        for (GgufTensorInfo t : file.tensors().values()) {
            w.addTensor(
                    t.name(),
                    t.type(),
                    t.shape(),
                    out -> {
                        try {
                            for (ByteBuffer chunk : file.map(t).chunks()) {
                                out.write(chunk.duplicate());
                            }
                        } catch (MalformedCheckpointException e) {
                            throw new java.io.IOException(e);
                        }
                    });
        }
        return w;
    }
}
