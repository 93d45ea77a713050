package io.moezoo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.engine.Fixtures;
import io.moezoo.engine.tensor.SafetensorsSource;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several sequences in one pass ({@link CausalLm#forwardLast}) against each sequence run alone:
 * prompts of different lengths, then a decode step in which one sequence sits out, for every kind
 * of attention the engine runs (GQA with a window, latent, mixture of heads).
 */
class BatchForwardTest {

    private static final double TOLERANCE = 1e-5;

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(
                    Math.abs(expected[i] - actual[i]) <= TOLERANCE,
                    what + " logit " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen2_moe", "mixtral_swa", "deepseek_v3", "jetmoe", "glm4_moe"})
    void aBatchEqualsEachSequenceAlone(String fixture) throws Exception {
        long[] ids = Fixtures.of(fixture).ids();
        long[][] prompts = {
            Arrays.copyOfRange(ids, 0, 4), Arrays.copyOfRange(ids, 4, 6), ids.clone()
        };
        try (SafetensorsSource source = SafetensorsSource.open(Fixtures.DIR.resolve(fixture))) {
            CausalLm model = CausalLm.load(source);
            KvCache[] alone = new KvCache[prompts.length];
            KvCache[] together = new KvCache[prompts.length];
            for (int i = 0; i < prompts.length; i++) {
                alone[i] = model.newCache();
                together[i] = model.newCache();
            }
            float[][] batch = model.forwardLast(prompts, together);
            for (int i = 0; i < prompts.length; i++) {
                float[] single = model.forward(prompts[i], alone[i], true);
                assertClose(single, batch[i], fixture + " prefill of sequence " + i);
                assertEquals(prompts[i].length, together[i].length());
            }
            // A decode step for sequences 0 and 2; sequence 1 waits.
            long[][] step = {{ids[1]}, {ids[3]}};
            float[][] next = model.forwardLast(step, new KvCache[] {together[0], together[2]});
            assertClose(model.forward(step[0], alone[0], true), next[0], fixture + " step 0");
            assertClose(model.forward(step[1], alone[2], true), next[1], fixture + " step 2");
            assertEquals(2, together[1].length());
            assertEquals(prompts[2].length + 1, together[2].length());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen2_moe"})
    void badBatchesAreRefusedBeforeAnyCacheMoves(String fixture) throws Exception {
        try (SafetensorsSource source = SafetensorsSource.open(Fixtures.DIR.resolve(fixture))) {
            CausalLm model = CausalLm.load(source);
            KvCache a = model.newCache();
            KvCache b = model.newCache();
            assertThrows(
                    IllegalArgumentException.class,
                    () -> model.forwardLast(new long[][] {{1}, {2}}, new KvCache[] {a, a}));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> model.forwardLast(new long[][] {{1}, {}}, new KvCache[] {a, b}));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> model.forwardLast(new long[][] {{1}, {64}}, new KvCache[] {a, b}));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> model.forwardLast(new long[][] {{1}}, new KvCache[] {a, b}));
            assertEquals(0, a.length());
            assertEquals(0, b.length());
        }
    }
}
