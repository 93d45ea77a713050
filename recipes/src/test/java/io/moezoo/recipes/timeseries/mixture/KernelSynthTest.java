package io.moezoo.recipes.timeseries.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KernelSynth: seeded, finite, and its Cholesky factor by hand. */
class KernelSynthTest {

    @Test
    void sameSeedSameSeries() {
        double[] a = KernelSynth.sample(new Random(7), 64, 12);
        double[] b = KernelSynth.sample(new Random(7), 64, 12);
        double[] c = KernelSynth.sample(new Random(8), 64, 12);
        assertArrayEquals(a, b, 0);
        assertFalse(Arrays.equals(a, c));
        assertEquals(64, a.length);
        assertTrue(Arrays.stream(a).allMatch(Double::isFinite));
    }

    @Test
    void choleskyOfATwoByTwo() {
        // [[4, 2], [2, 3]] = L L^T with L = [[2, 0], [1, sqrt 2]] (plus a 3.5e-6 jitter)
        double[][] l = KernelSynth.cholesky(new double[][] {{4, 2}, {2, 3}});
        assertEquals(2, l[0][0], 1e-5);
        assertEquals(1, l[1][0], 1e-5);
        assertEquals(Math.sqrt(2), l[1][1], 1e-5);
        assertEquals(0, l[0][1], 0);
    }

    @Test
    void semiDefiniteKernelsFactorWithJitter() {
        // the constant kernel is rank one: the jitter makes it factorable
        double[][] ones = new double[5][5];
        for (double[] row : ones) {
            Arrays.fill(row, 1);
        }
        double[][] l = KernelSynth.cholesky(ones);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double s = 0;
                for (int p = 0; p < 5; p++) {
                    s += l[i][p] * l[j][p];
                }
                assertEquals(1, s, 1e-4);
            }
        }
    }

    @Test
    void everyBankKernelIsSymmetric() {
        Random random = new Random(1);
        for (int i = 0; i < 30; i++) {
            double[][] k = KernelSynth.kernel(random, 16, 4);
            for (int a = 0; a < 16; a++) {
                for (int b = 0; b < 16; b++) {
                    assertEquals(k[a][b], k[b][a], 1e-12);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> KernelSynth.sample(random, 1, 1));
    }
}
