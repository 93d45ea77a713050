package io.moezoo.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.translators.text.GenerationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generation_config.json under the user's settings, as transformers reads it. */
class GenerationDefaultsTest {

    @Test
    void eosIdsStopAndSamplingDefaultsFillWhatTheUserLeftOut(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("generation_config.json"),
                "{\"bos_token_id\": 1, \"eos_token_id\": [2, 7], \"pad_token_id\": 0,"
                        + " \"do_sample\": true, \"temperature\": 0.7, \"top_p\": 0.8,"
                        + " \"repetition_penalty\": 1.1, \"transformers_version\": \"4.55.0\"}");
        GenerationDefaults d = GenerationDefaults.read(dir);
        assertEquals(Set.of(2L, 7L), d.eosTokenIds());
        assertEquals(1L, d.bosTokenId());
        assertEquals(0L, d.padTokenId());
        GenerationConfig user = GenerationConfig.greedy(8).withStopTokens(Set.of(5L));
        GenerationConfig c = d.applyTo(user, Set.of(), false);
        assertEquals(Set.of(2L, 5L, 7L), c.stopTokens());
        assertEquals(0.7f, c.temperature());
        assertEquals(50, c.topK(), "transformers' default top_k when sampling");
        assertEquals(0.8f, c.topP());
        assertEquals(1.1f, c.repetitionPenalty());
        GenerationConfig mine = d.applyTo(user, Set.of("temperature", "repetitionPenalty"), true);
        assertEquals(0f, mine.temperature(), "a temperature the user gave wins");
        assertEquals(1f, mine.repetitionPenalty());
        assertEquals(Set.of(5L), mine.stopTokens(), "ignoreEos keeps only the user's stop ids");
    }

    @Test
    void withoutDoSampleDecodingStaysGreedy(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("generation_config.json"),
                "{\"eos_token_id\": 3, \"temperature\": 0.6, \"top_k\": 20}");
        GenerationConfig c =
                GenerationDefaults.read(dir).applyTo(GenerationConfig.greedy(4), Set.of(), false);
        assertEquals(0f, c.temperature());
        assertEquals(Set.of(3L), c.stopTokens());
    }

    @Test
    void configJsonIdsStandInForAMissingFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"eos_token_id\": 9, \"temperature\": 5}");
        GenerationDefaults d = GenerationDefaults.read(dir);
        assertEquals(Set.of(9L), d.eosTokenIds());
        assertEquals(null, d.temperature(), "only generation_config.json sets sampling");
        assertSame(GenerationDefaults.NONE, GenerationDefaults.read(dir.resolve("missing")));
    }

    @Test
    void malformedFilesAreRefusedNamingTheField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": \"two\"}");
        MalformedCheckpointException e =
                assertThrows(
                        MalformedCheckpointException.class, () -> GenerationDefaults.read(dir));
        assertTrue(e.getMessage().contains("eos_token_id"), e.getMessage());
        Files.writeString(dir.resolve("generation_config.json"), "{\"top_p\": 1.5}");
        e = assertThrows(MalformedCheckpointException.class, () -> GenerationDefaults.read(dir));
        assertTrue(e.getMessage().contains("top_p"), e.getMessage());
    }
}
