package io.moezoo.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.formats.MalformedCheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer metadata: from a byte-level BPE tokenizer.json, or the minimal vocabulary. */
class GgufTokenizerTest {

    @TempDir Path dir;

    @Test
    void bpeTokenizerJsonBecomesGpt2Metadata() throws Exception {
        Path checkpoint =
                GgufTestFiles.withTokenizer(
                        GgufTestFiles.fixtures().resolve("mixtral"), dir.resolve("c"));
        Path out = dir.resolve("t.gguf");
        GgufExport.export(checkpoint, out, GgufType.F32);
        Map<String, GgufValue> m = GgufFile.open(out).metadata();
        assertEquals("gpt2", m.get("tokenizer.ggml.model").value());
        List<?> tokens = m.get("tokenizer.ggml.tokens").asList();
        assertEquals(64, tokens.size());
        assertEquals("Ā", tokens.get(0));
        assertEquals("!", tokens.get(33));
        assertEquals("<s>", tokens.get(60));
        assertEquals("[PAD63]", tokens.get(63));
        List<?> types = m.get("tokenizer.ggml.token_type").asList();
        assertEquals(GgufValueType.INT32, m.get("tokenizer.ggml.token_type").elementType());
        assertEquals(
                List.of(1L, 3L, 4L, 5L),
                List.of(types.get(0), types.get(60), types.get(61), types.get(62)));
        assertEquals(List.of("! \"", "# $"), m.get("tokenizer.ggml.merges").asList());
        assertEquals(1L, m.get("tokenizer.ggml.bos_token_id").value());
        assertEquals(2L, m.get("tokenizer.ggml.eos_token_id").value());
        assertEquals(GgufValueType.UINT32, m.get("tokenizer.ggml.eos_token_id").type());
    }

    @Test
    void withoutTokenizerTheVocabularyIsMinimal() throws Exception {
        Path out = dir.resolve("m.gguf");
        GgufExport.export(GgufTestFiles.fixtures().resolve("qwen2_moe"), out, GgufType.F32);
        Map<String, GgufValue> m = GgufFile.open(out).metadata();
        List<?> tokens = m.get("tokenizer.ggml.tokens").asList();
        assertEquals(64, tokens.size());
        assertEquals("Ċ", tokens.get(10), "byte 10 (newline) is a token");
        assertEquals(0, m.get("tokenizer.ggml.merges").asList().size());
        assertEquals(64, new java.util.HashSet<>(tokens).size(), "tokens are unique");
        assertEquals(List.of("<|300|>"), GgufTokenizer.minimal(301).subList(300, 301));
    }

    @Test
    void otherTokenizersAreRefused() throws Exception {
        Path checkpoint =
                GgufTestFiles.withTokenizer(
                        GgufTestFiles.fixtures().resolve("mixtral"), dir.resolve("c"));
        String text = Files.readString(checkpoint.resolve("tokenizer.json"));
        Files.writeString(
                checkpoint.resolve("tokenizer.json"),
                text.replace("\"type\":\"BPE\"", "\"type\":\"BPE\",\"byte_fallback\":true"));
        MalformedCheckpointException e =
                assertThrows(
                        MalformedCheckpointException.class,
                        () -> GgufExport.export(checkpoint, dir.resolve("x.gguf"), GgufType.F32));
        assertTrue(e.getMessage().contains("byte_fallback"), e.getMessage());
        Files.writeString(
                checkpoint.resolve("tokenizer.json"),
                text.replace("\"type\":\"BPE\"", "\"type\":\"Unigram\""));
        e =
                assertThrows(
                        MalformedCheckpointException.class,
                        () -> GgufExport.export(checkpoint, dir.resolve("x.gguf"), GgufType.F32));
        assertTrue(e.getMessage().contains("BPE"), e.getMessage());
        Files.writeString(
                checkpoint.resolve("tokenizer.json"),
                text.replace("\"<extra>\"", "\"<x>\"").replace("\"id\":61", "\"id\":64"));
        e =
                assertThrows(
                        MalformedCheckpointException.class,
                        () -> GgufExport.export(checkpoint, dir.resolve("x.gguf"), GgufType.F32));
        assertTrue(e.getMessage().contains("outside the model's vocabulary of 64"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x.gguf")));
    }
}
