package io.moezoo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sink softmax and sliding windows of {@link ScaledDotProduct}: a hand computation, then random
 * heads against a float64 loop, in one pass and as prefill plus single-token steps over the cache.
 */
class ScaledDotProductTest {

    @Test
    void aSinkJoinsTheDenominatorOnly() {
        // One head of width 1: q = 1, keys 1 and 2 (scores 1, 2), values 10 and 20, sink 0.5.
        float[] q = {0, 1}; // query 0 is not checked; query 1 sees both keys
        float[] keys = {1, 2};
        float[] values = {10, 20};
        float[] sinks = {0.5f};
        float[] full =
                ScaledDotProduct.attend(q, 2, 0, keys, values, 1, 1, 1, 1, 1, 0, false, sinks);
        double z = Math.exp(0.5) + Math.exp(1) + Math.exp(2);
        assertEquals((10 * Math.exp(1) + 20 * Math.exp(2)) / z, full[1], 1e-5);
        // Window 1: query 1 sees key 1 only; the sink still takes its share.
        float[] windowed =
                ScaledDotProduct.attend(q, 2, 0, keys, values, 1, 1, 1, 1, 1, 1, false, sinks);
        assertEquals(20 * Math.exp(2) / (Math.exp(0.5) + Math.exp(2)), windowed[1], 1e-5);
        // A sink far above the scores takes almost everything; without one, weights sum to 1.
        float[] drowned =
                ScaledDotProduct.attend(
                        q, 2, 0, keys, values, 1, 1, 1, 1, 1, 0, false, new float[] {40});
        assertEquals(0, drowned[1], 1e-9);
        float[] plain = ScaledDotProduct.attend(q, 2, 0, keys, values, 1, 1, 1, 1, 1, 0, false);
        assertEquals(
                (10 * Math.exp(1) + 20 * Math.exp(2)) / (Math.exp(1) + Math.exp(2)),
                plain[1],
                1e-5);
    }

    @Test
    void sinksAndWindowsMatchAFloat64LoopWithAndWithoutTheCache() {
        int heads = 4;
        int kvHeads = 2;
        int d = 5;
        int n = 9;
        Random random = new Random(3);
        float[] q = gaussian(random, n * heads * d);
        float[] keys = gaussian(random, n * kvHeads * d);
        float[] values = gaussian(random, n * kvHeads * d);
        float[] sinks = gaussian(random, heads);
        float scale = 0.6f;
        for (int window : new int[] {0, 1, 3, 20}) {
            double[] want = loop(q, keys, values, heads, kvHeads, d, n, scale, window, sinks);
            float[] full =
                    ScaledDotProduct.attend(
                            q, n, 0, keys, values, heads, kvHeads, d, d, scale, window, false,
                            sinks);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], full[i], 1e-5, "window " + window + " [" + i + "]");
            }
            // Prefill 4, then one query at a time over all cached keys.
            int width = heads * d;
            for (int t = 4; t < n; t++) {
                float[] qt = new float[width];
                System.arraycopy(q, t * width, qt, 0, width);
                float[] step =
                        ScaledDotProduct.attend(
                                qt, 1, t, keys, values, heads, kvHeads, d, d, scale, window, false,
                                sinks);
                for (int i = 0; i < width; i++) {
                    assertEquals(
                            want[t * width + i], step[i], 1e-5, "step " + t + " window " + window);
                }
            }
        }
    }

    @Test
    void aLongPromptSpreadOverTheKernelThreadsMatchesTheFloat64Loop() {
        // 96 queries x 8 heads over up to 96 keys of width 16: about 2^20 multiply-adds, enough for
        // the (query, head) units to be shared with the kernel threads (MatrixOps.forEachUnit).
        int heads = 8;
        int kvHeads = 2;
        int d = 16;
        int n = 96;
        Random random = new Random(5);
        float[] q = gaussian(random, n * heads * d);
        float[] keys = gaussian(random, n * kvHeads * d);
        float[] values = gaussian(random, n * kvHeads * d);
        float[] noSinks = new float[heads];
        java.util.Arrays.fill(noSinks, -1e30f);
        double[] want = loop(q, keys, values, heads, kvHeads, d, n, 0.25f, 0, noSinks);
        float[] got =
                ScaledDotProduct.attend(
                        q, n, 0, keys, values, heads, kvHeads, d, d, 0.25f, 0, false);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5, "[" + i + "]");
        }
        float[] again =
                ScaledDotProduct.attend(
                        q, n, 0, keys, values, heads, kvHeads, d, d, 0.25f, 0, false);
        assertEquals(
                java.util.Arrays.toString(got),
                java.util.Arrays.toString(again),
                "each unit is computed the same way whichever thread runs it");
    }

    /** Key j is visible from query t iff t − window < j ≤ t (all j ≤ t for window 0). */
    private static double[] loop(
            float[] q,
            float[] k,
            float[] v,
            int heads,
            int kvHeads,
            int d,
            int n,
            float scale,
            int window,
            float[] sinks) {
        double[] out = new double[n * heads * d];
        for (int t = 0; t < n; t++) {
            for (int h = 0; h < heads; h++) {
                int g = h / (heads / kvHeads);
                double max = sinks[h];
                double[] s = new double[t + 1];
                for (int j = 0; j <= t; j++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += (double) q[(t * heads + h) * d + i] * k[(j * kvHeads + g) * d + i];
                    }
                    s[j] = window == 0 || j > t - window ? dot * scale : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, s[j]);
                }
                double z = Math.exp(sinks[h] - max);
                for (int j = 0; j <= t; j++) {
                    z += Math.exp(s[j] - max);
                }
                for (int j = 0; j <= t; j++) {
                    double p = Math.exp(s[j] - max) / z;
                    for (int i = 0; i < d; i++) {
                        out[(t * heads + h) * d + i] += p * v[(j * kvHeads + g) * d + i];
                    }
                }
            }
        }
        return out;
    }

    private static float[] gaussian(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}
