package io.moezoo.recipes.timeseries.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The router's standardisation, softmax and combination, by hand. */
class SoftmaxRouterTest {

    static final int F = SeriesFeatures.NAMES.size();

    static SoftmaxRouter router(double[][] theta) {
        double[] means = new double[F];
        double[] stds = new double[F];
        java.util.Arrays.fill(stds, 2);
        means[0] = 1;
        return new SoftmaxRouter(List.of("a", "b"), SeriesFeatures.NAMES, means, stds, theta);
    }

    @Test
    void zeroThetaGivesEqualWeights() {
        SoftmaxRouter r = router(new double[2][F + 1]);
        assertArrayEquals(new double[] {0.5, 0.5}, r.weights(new double[F]), 1e-15);
    }

    @Test
    void weightsAreTheSoftmaxOfTheLogits() {
        double[][] theta = new double[2][F + 1];
        theta[0][0] = 1; // a: z_0
        theta[1][F] = 0.5; // b: bias
        SoftmaxRouter r = router(theta);
        double[] f = new double[F];
        f[0] = 3; // z_0 = (3 - 1) / 2 = 1
        double ea = Math.exp(1);
        double eb = Math.exp(0.5);
        assertArrayEquals(new double[] {ea / (ea + eb), eb / (ea + eb)}, r.weights(f), 1e-12);
        f[0] = 1001; // z_0 clipped to 5
        assertEquals(5, r.standardise(f)[0], 0);
        assertEquals(1, r.standardise(f)[F], 0);
    }

    @Test
    void forecastIsTheWeightedCombination() {
        SoftmaxRouter r = router(new double[2][F + 1]);
        ForecastWindow w =
                new ForecastWindow(
                        "w", 1, new double[F], new double[][] {{1, 2}, {3, 6}}, new double[2], 1);
        assertArrayEquals(new double[] {2, 4}, r.forecast(w), 1e-12);
        // MASE of {2, 4} against {0, 0} with scale 1: 3
        assertEquals(3, w.mase(r.forecast(w)), 1e-12);
        assertArrayEquals(new double[] {3, 6}, w.select(new int[] {1}).forecasts()[0], 0);
    }

    @Test
    void rejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> router(new double[3][F + 1]));
        assertThrows(IllegalArgumentException.class, () -> router(new double[2][F]));
    }
}
