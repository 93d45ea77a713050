package io.moezoo.translators.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Penalties and min-p against hand-computed logits. */
class TokenSamplerTest {

    private static GenerationConfig greedy() {
        return GenerationConfig.greedy(8);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        TokenSampler s = new TokenSampler(greedy().withPenalties(2f, 0f, 0f));
        s.observePrompt(new long[] {0, 3});
        s.accept(1);
        float[] l = s.penalised(new float[] {2f, 1.5f, -1f, -0.5f});
        // seen: 0 (prompt), 3 (prompt), 1 (generated); 2 unseen
        assertArrayEquals(new float[] {1f, 0.75f, -1f, -1f}, l);
        TokenSampler greedy = new TokenSampler(greedy().withPenalties(2f, 0f, 0f));
        greedy.observePrompt(new long[] {0});
        assertEquals(1, greedy.next(new float[] {2f, 1.5f, -1f}), "2/2 = 1 < 1.5");
        assertEquals(0, new TokenSampler(greedy()).next(new float[] {2f, 1.5f, -1f}));
    }

    @Test
    void presenceAndFrequencyPenaltiesCountGeneratedTokensOnly() {
        TokenSampler s = new TokenSampler(greedy().withPenalties(1f, 0.1f, 0.25f));
        s.observePrompt(new long[] {2});
        s.accept(0);
        s.accept(0);
        s.accept(1);
        float[] l = s.penalised(new float[] {1f, 1f, 1f});
        // 0: 1 - 0.1 - 2 * 0.25; 1: 1 - 0.1 - 0.25; 2 (prompt only): untouched
        assertArrayEquals(new float[] {0.4f, 0.65f, 1f}, l, 1e-6f);
        assertEquals(2, s.next(new float[] {1f, 1f, 1f}));
    }

    @Test
    void minPKeepsOnlyTokensNearTheMostLikely() {
        // temperature 1: p is proportional to 1, 0.5, 0.01
        float[] logits = {0f, (float) Math.log(0.5), (float) Math.log(0.01)};
        GenerationConfig sampling = new GenerationConfig(8, 1f, 0, 1f, 7L, Set.of(), null);
        TokenSampler onlyBest = new TokenSampler(sampling.withSampling(1f, 0, 1f, 0.6f));
        for (int i = 0; i < 200; i++) {
            assertEquals(0, onlyBest.next(logits), "0.5 < 0.6 x 1: only the best token");
        }
        TokenSampler two = new TokenSampler(sampling.withSampling(1f, 0, 1f, 0.4f));
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            counts[two.next(logits)]++;
        }
        assertEquals(0, counts[2], "0.01 < 0.4 x 1 is never drawn");
        // renormalised over {0, 1}: 2/3 and 1/3
        assertTrue(Math.abs(counts[1] / 3000.0 - 1 / 3.0) < 0.04, "token 1 share " + counts[1]);
        TokenSampler all = new TokenSampler(sampling);
        int third = 0;
        for (int i = 0; i < 20000; i++) {
            third += all.next(logits) == 2 ? 1 : 0;
        }
        assertTrue(third > 0, "without min-p the unlikely token is drawn sometimes");
    }
}
