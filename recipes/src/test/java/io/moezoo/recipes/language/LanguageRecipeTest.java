package io.moezoo.recipes.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import io.moezoo.models.language.DecoderSpec;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The language recipe as data, the trainer's epochs, and perplexity against brute force. */
class LanguageRecipeTest {

    @Test
    void recipeRoundTripsAndBuildsTwins() {
        LanguageRecipe r = LanguageRecipeSearch.DEFAULT;
        assertEquals(r, LanguageRecipe.fromJson(r.toJson()));
        LanguageRecipe wider = r.with("hidden=192").with("learningRate=1e-3");
        assertEquals(192, wider.hidden());
        assertEquals(1e-3f, wider.learningRate());
        DecoderSpec moe = r.spec(true);
        DecoderSpec dense = r.spec(false);
        assertEquals(2257, moe.vocabSize());
        assertTrue(moe.ffn().stream().allMatch(java.util.Objects::nonNull));
        assertTrue(dense.ffn().stream().allMatch(java.util.Objects::isNull));
        assertThrows(IllegalArgumentException.class, () -> r.with("hidden=100"));
        assertThrows(IllegalArgumentException.class, () -> r.with("colour=3"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> r.with("topK=9"));
        assertTrue(e.getMessage().contains("topK"), e.getMessage());
        // Changes are validated together: 2 steps need fewer than the default 200 warm-up steps.
        LanguageRecipe tiny = r.with("steps=2", "warmupSteps=1");
        assertEquals(2, tiny.steps());
        assertEquals(1, tiny.warmupSteps());
        assertThrows(IllegalArgumentException.class, () -> r.with("steps=2"));
    }

    @Test
    void anEpochVisitsDisjointWindowsOnce() {
        Random rng = new Random(3);
        int[] starts = CausalLmTrainer.epoch(1000, 64, rng);
        int[] sorted = starts.clone();
        Arrays.sort(sorted);
        int phase = sorted[0];
        assertTrue(phase < 64);
        assertEquals((1000 - 1 - phase) / 64, sorted.length);
        for (int k = 0; k < sorted.length; k++) {
            assertEquals(phase + 64 * k, sorted[k]);
            assertTrue(sorted[k] + 64 + 1 <= 1000, "the labels fit too");
        }
        assertTrue(!Arrays.equals(sorted, starts), "shuffled");
    }

    @Test
    void perplexityMatchesBruteForceOverEveryPosition() {
        int v = 5;
        float[][] table = new float[v][v];
        Random rng = new Random(7);
        for (float[] row : table) {
            for (int j = 0; j < v; j++) {
                row[j] = (float) rng.nextGaussian();
            }
        }
        long[] tokens = new long[23];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(v);
        }
        // Brute force: a bigram model, so the window does not matter; every position 1..N-1 once.
        double nll = 0;
        for (int i = 1; i < tokens.length; i++) {
            float[] row = table[(int) tokens[i - 1]];
            double z = 0;
            for (float x : row) {
                z += Math.exp(x);
            }
            nll -= row[(int) tokens[i]] - Math.log(z);
        }
        double expected = Math.exp(nll / (tokens.length - 1));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weights = m.create(table);
            LambdaBlock bigram =
                    new LambdaBlock(
                            in -> {
                                NDArray ids = in.head();
                                Shape s = ids.getShape();
                                return new NDList(
                                        weights.get(ids.reshape(-1))
                                                .reshape(s.get(0), s.get(1), v));
                            });
            for (int window : new int[] {4, 5, 22, 40}) {
                assertEquals(expected, Perplexity.of(bigram, m, tokens, window, v, 1), 1e-4);
            }
            LambdaBlock uniform =
                    new LambdaBlock(
                            in -> {
                                Shape s = in.head().getShape();
                                return new NDList(m.zeros(new Shape(s.get(0), s.get(1), v)));
                            });
            assertEquals(v, Perplexity.of(uniform, m, tokens, 4, v, 3), 1e-4);
        }
    }
}
