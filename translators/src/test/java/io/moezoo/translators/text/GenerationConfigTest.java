package io.moezoo.translators.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Validation of every generation parameter, with the exact messages. */
class GenerationConfigTest {

    private static String refusal(
            int maxNewTokens, float temperature, int topK, float topP, Set<Long> stop) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new GenerationConfig(
                                        maxNewTokens, temperature, topK, topP, 1L, stop, null))
                .getMessage();
    }

    @Test
    void validConfigsAreKept() {
        GenerationConfig config = new GenerationConfig(8, 100f, 5, 1f, -3L, Set.of(0L, 7L), null);
        assertEquals(8, config.maxNewTokens());
        assertEquals(Set.of(0L, 7L), config.stopTokens());
        assertFalse(config.truncatePrompt(), "the seven-argument form refuses long prompts");
        assertTrue(config.withTruncatePrompt(true).truncatePrompt());
        assertTrue(config.withTruncatePrompt(true).withStopTokens(Set.of()).truncatePrompt());
        assertTrue(config.withTruncatePrompt(true).withOnToken(id -> {}).truncatePrompt());
        assertEquals(Set.of(), GenerationConfig.greedy(1).stopTokens());
        assertEquals(0f, new GenerationConfig(1, 0f, 0, 1e-30f, 0L, null, null).temperature());
    }

    @Test
    void invalidParametersAreNamedWithTheirValue() {
        assertEquals("maxNewTokens must be > 0, got 0", refusal(0, 0f, 0, 1f, null));
        assertEquals("maxNewTokens must be > 0, got -5", refusal(-5, 0f, 0, 1f, null));
        for (float t : new float[] {-1f, Float.NaN, Float.POSITIVE_INFINITY, 100.5f, 1e30f}) {
            assertEquals(
                    "temperature must be a finite number in [0, 100] (0 = greedy), got " + t,
                    refusal(1, t, 0, 1f, null));
        }
        assertEquals("topK must be >= 0 (0 = all), got -1", refusal(1, 1f, -1, 1f, null));
        for (float p : new float[] {0f, -0.5f, 1.0001f, Float.NaN, Float.POSITIVE_INFINITY}) {
            assertEquals("topP must be in (0, 1], got " + p, refusal(1, 1f, 0, p, null));
        }
        assertEquals("stop token ids must be >= 0, got -2", refusal(1, 0f, 0, 1f, Set.of(3L, -2L)));
        Set<Long> withNull = new HashSet<>(Arrays.asList(1L, null));
        assertEquals("stop token ids must be >= 0, got null", refusal(1, 0f, 0, 1f, withNull));
        Set<Long> many =
                LongStream.range(0, 1025).boxed().collect(Collectors.toCollection(HashSet::new));
        assertEquals("at most 1024 stop tokens, got 1025", refusal(1, 0f, 0, 1f, many));
        GenerationConfig g = GenerationConfig.greedy(4);
        assertEquals(
                "minP must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> g.withSampling(1f, 0, 1f, 1f))
                        .getMessage());
        assertEquals(
                "repetitionPenalty must be finite and > 0 (1 = none), got 0.0",
                assertThrows(IllegalArgumentException.class, () -> g.withPenalties(0f, 0f, 0f))
                        .getMessage());
        assertEquals(
                "presencePenalty must be in [-2, 2], got 2.5",
                assertThrows(IllegalArgumentException.class, () -> g.withPenalties(1f, 2.5f, 0f))
                        .getMessage());
        assertEquals(
                "frequencyPenalty must be in [-2, 2], got NaN",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> g.withPenalties(1f, 0f, Float.NaN))
                        .getMessage());
        GenerationConfig kept =
                g.withPenalties(1.3f, 0.5f, -0.5f).withSampling(0.7f, 5, 0.9f, 0.1f);
        assertEquals(1.3f, kept.repetitionPenalty());
        assertEquals(-0.5f, kept.frequencyPenalty());
        assertEquals(0.1f, kept.minP());
        assertEquals(1.3f, kept.withStopTokens(Set.of(1L)).repetitionPenalty(), "withers keep all");
    }
}
