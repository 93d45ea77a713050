package io.moezoo.recipes.timeseries.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moezoo.recipes.timeseries.baseline.ClassicalDecomposition;
import io.moezoo.recipes.timeseries.baseline.InvalidHistoryException;
import org.junit.jupiter.api.Test;

/** Features of tiny series against values worked out by hand or by brute force. */
class SeriesFeaturesTest {

    private static double feature(double[] f, String name) {
        return f[SeriesFeatures.NAMES.indexOf(name)];
    }

    @Test
    void movingAveragesOfOddAndEvenOrder() {
        double[] x = {1, 2, 3, 4, 5};
        double[] three = ClassicalDecomposition.movingAverage(x, 3);
        assertEquals(Double.NaN, three[0]);
        assertEquals(2, three[1], 1e-12);
        assertEquals(4, three[3], 1e-12);
        assertEquals(Double.NaN, three[4]);
        // 2x2 MA at t = 1 of {1, 4, 2, 8}: (0.5*1 + 4 + 0.5*2) / 2 = 2.75
        double[] two = ClassicalDecomposition.movingAverage(new double[] {1, 4, 2, 8}, 2);
        assertEquals(2.75, two[1], 1e-12);
        assertEquals((0.5 * 4 + 2 + 0.5 * 8) / 2, two[2], 1e-12);
    }

    @Test
    void linearityOfALineAndOfASymmetricV() {
        assertEquals(1, SeriesFeatures.linearity(new double[] {3, 5, 7, 9}), 1e-12);
        assertEquals(0, SeriesFeatures.linearity(new double[] {0, 1, 2, 1, 0}), 1e-12);
        // x = {0, 0, 1}: t-mean 1, x-mean 1/3; sxy = 1*(2/3) + 0 + (-1)(-1/3)... = 1; sxx = 2;
        // syy = 2/3; R^2 = 1 / (2 * 2/3) = 0.75
        assertEquals(0.75, SeriesFeatures.linearity(new double[] {0, 0, 1}), 1e-12);
    }

    @Test
    void tiledVariancesByHand() {
        // windows of 2: {1, 3}, {5, 5}, {0, 4}: means 2, 5, 2 -> variance 2; variances 1, 0, 4
        // -> mean 5/3, variance ((2/3)^2 + (5/3)^2 + (7/3)^2) / 3 = 78 / 27
        double[] z = {1, 3, 5, 5, 0, 4};
        assertEquals(2, SeriesFeatures.tiledVariance(z, 2, false), 1e-12);
        assertEquals(78.0 / 27, SeriesFeatures.tiledVariance(z, 2, true), 1e-12);
        assertEquals(0, SeriesFeatures.tiledVariance(z, 4, true), 0);
    }

    @Test
    void spikinessMatchesLeaveOneOutByBruteForce() {
        double[] r = {0.3, -1.2, 4.0, 0.1, -0.5, 0.2, -0.4};
        double[] z = SeriesFeatures.standardise(r);
        double[] loo = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            double[] rest = new double[z.length - 1];
            for (int j = 0, p = 0; j < z.length; j++) {
                if (j != i) {
                    rest[p++] = z[j];
                }
            }
            loo[i] = SeriesFeatures.variance(rest);
        }
        double expected = Math.log10(1 + 36 * SeriesFeatures.variance(loo));
        assertEquals(expected, SeriesFeatures.spikiness(r), 1e-12);
        // alternating +-1: every leave-one-out variance is 8/9, so no spikiness
        assertEquals(0, SeriesFeatures.spikiness(new double[] {1, -1, 1, -1}), 1e-12);
    }

    @Test
    void aLineIsAllTrendNoSeasonNoNoise() {
        double[] x = new double[20];
        for (int t = 0; t < x.length; t++) {
            x[t] = 2 + 0.5 * t;
        }
        double[] f = SeriesFeatures.of(x, 1, 4);
        assertEquals(SeriesFeatures.NAMES.size(), f.length);
        assertEquals(Math.log10(20), feature(f, "log_length"), 1e-12);
        assertEquals(Math.log10(4), feature(f, "log_horizon"), 1e-12);
        assertEquals(0, feature(f, "seasonal"));
        assertEquals(0, feature(f, "season_strength"));
        assertEquals(1, feature(f, "linearity"), 1e-12);
        // the differences are constant: no drift ratio (sd 0), zero acf
        assertEquals(0, feature(f, "drift_ratio"));
        assertEquals(0, feature(f, "diff_acf1"));
        // mean |x| = 2 + 0.5 * 9.5 = 6.75, sd(d) = 0
        assertEquals(-6, feature(f, "log_noise"), 1e-9);
        // r_1 of 0..19 by R's acf: 1 - 3/n - ... = sum_{t<19} (t-9.5)(t+1-9.5) / sum (t-9.5)^2
        double num = 0;
        double den = 0;
        for (int t = 0; t < 20; t++) {
            den += (t - 9.5) * (t - 9.5);
            if (t < 19) {
                num += (t - 9.5) * (t - 8.5);
            }
        }
        assertEquals(num / den, feature(f, "acf1"), 1e-12);
        // last 4 values' mean (17.5 + 0.5 * 1.5 ... ) minus the mean, over the sd
        double mean = 2 + 0.5 * 9.5;
        double last = 2 + 0.5 * 17.5;
        double sd = 0.5 * Math.sqrt((20 * 20 - 1) / 12.0);
        assertEquals((last - mean) / sd, feature(f, "last_shift"), 1e-12);
        assertEquals(0, feature(f, "log_scale_ratio"));
    }

    @Test
    void aPureSeasonIsAllSeason() {
        double[] pattern = {1, 5, 2, 0};
        double[] x = new double[25];
        for (int t = 0; t < x.length; t++) {
            x[t] = 10 + pattern[t % 4];
        }
        double[] f = SeriesFeatures.of(x, 4, 4);
        assertEquals(1, feature(f, "seasonal"));
        assertEquals(1, feature(f, "season_strength"), 1e-12);
        // the lag-4 differences are all 0: no finite log scale ratio, reported as 0
        assertEquals(0, feature(f, "log_scale_ratio"));
        // d = {4, -3, -2, 1, 4, -3, ...}, six whole cycles: mean 0, so no drift
        assertEquals(0, feature(f, "drift_ratio"), 1e-12);
    }

    @Test
    void driftRatioAndScaleRatioByHand() {
        // increments alternate 1, 3: mean 2, population sd 1
        double[] x = new double[13];
        for (int t = 1; t < x.length; t++) {
            x[t] = x[t - 1] + (t % 2 == 1 ? 1 : 3);
        }
        double[] f = SeriesFeatures.of(x, 1, 2);
        assertEquals(2, feature(f, "drift_ratio"), 1e-12);
        // m = 2: mean |lag-1 diff| = 2, every lag-2 diff = 4
        assertEquals(Math.log(0.5), SeriesFeatures.logScaleRatio(x, 2), 1e-12);
    }

    @Test
    void rejectsShortOrNonFiniteHistories() {
        assertThrows(InvalidHistoryException.class, () -> SeriesFeatures.of(new double[5], 1, 2));
        double[] x = new double[20];
        x[3] = Double.NaN;
        assertThrows(InvalidHistoryException.class, () -> SeriesFeatures.of(x, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> SeriesFeatures.of(new double[20], 0, 2));
    }

    @Test
    void onlyTheLastWindowCounts() {
        double[] longer = new double[SeriesFeatures.WINDOW + 50];
        java.util.Random random = new java.util.Random(3);
        for (int t = 0; t < longer.length; t++) {
            longer[t] = random.nextGaussian();
        }
        double[] tail = java.util.Arrays.copyOfRange(longer, 50, longer.length);
        double[] a = SeriesFeatures.of(longer, 1, 10);
        double[] b = SeriesFeatures.of(tail, 1, 10);
        a[0] = 0; // log_length sees the whole history
        b[0] = 0;
        assertArrayEquals(b, a, 0);
    }
}
