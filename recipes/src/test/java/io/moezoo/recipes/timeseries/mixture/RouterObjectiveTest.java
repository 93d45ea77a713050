package io.moezoo.recipes.timeseries.mixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The router objective's gradient against central finite differences, and a trained oracle. */
class RouterObjectiveTest {

    static final int F = SeriesFeatures.NAMES.size();

    /** Random windows with K experts, horizon 6, random features. */
    static List<ForecastWindow> windows(Random random, int n, int k) {
        List<ForecastWindow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] features = new double[F];
            for (int j = 0; j < F; j++) {
                features[j] = random.nextGaussian();
            }
            double[] actual = new double[6];
            double[][] forecasts = new double[k][6];
            for (int h = 0; h < 6; h++) {
                actual[h] = random.nextGaussian();
                for (int e = 0; e < k; e++) {
                    forecasts[e][h] = actual[h] + (e + 1) * random.nextGaussian();
                }
            }
            out.add(new ForecastWindow("w" + i, 1, features, forecasts, actual, 0.5 + i % 3));
        }
        return out;
    }

    static double[][] standardised(List<ForecastWindow> windows) {
        double[][] z = new double[windows.size()][];
        for (int i = 0; i < z.length; i++) {
            double[] f = windows.get(i).features();
            z[i] = java.util.Arrays.copyOf(f, F + 1);
            z[i][F] = 1;
        }
        return z;
    }

    @Test
    void gradientMatchesFiniteDifferencesForEveryLoss() {
        Random random = new Random(11);
        List<ForecastWindow> windows = windows(random, 7, 3);
        double[][] z = standardised(windows);
        for (RouterLoss loss : RouterLoss.values()) {
            RouterObjective objective = new RouterObjective(windows, z, loss, 0.03);
            double[][] theta = new double[3][F + 1];
            for (double[] row : theta) {
                for (int j = 0; j <= F; j++) {
                    row[j] = 0.3 * random.nextGaussian();
                }
            }
            double[][] grad = new double[3][F + 1];
            objective.value(theta, grad);
            double eps = 1e-6;
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b <= F; b++) {
                    double keep = theta[a][b];
                    theta[a][b] = keep + eps;
                    double plus = objective.value(theta, null);
                    theta[a][b] = keep - eps;
                    double minus = objective.value(theta, null);
                    theta[a][b] = keep;
                    double numeric = (plus - minus) / (2 * eps);
                    assertEquals(
                            numeric,
                            grad[a][b],
                            1e-6 * Math.max(1, Math.abs(numeric)),
                            loss + " " + a + "," + b);
                }
            }
        }
    }

    @Test
    void fformaLossIsTheWeightedMeanOfTheExpertsMase() {
        // actual {1, 2}, scale 2; expert 0 off by {1, 1} (MASE 0.5), expert 1 off by {0, 2} (0.5)
        // expert 2 exact (0)
        ForecastWindow w =
                new ForecastWindow(
                        "w",
                        1,
                        new double[F],
                        new double[][] {{2, 3}, {1, 4}, {1, 2}},
                        new double[] {1, 2},
                        2);
        double[] g = new double[3];
        double loss = RouterLoss.FFORMA.value(w, new double[] {0.5, 0.25, 0.25}, g);
        assertEquals(0.5 * 0.5 + 0.25 * 0.5, loss, 1e-12);
        assertEquals(0.5, g[0], 1e-12);
        assertEquals(0, g[2], 1e-12);
        // the combination 0.5 {2, 3} + 0.5 {1, 4} = {1.5, 3.5}: MASE (0.5 + 1.5) / 2 / 2 = 0.5
        double log = RouterLoss.LOG_MASE.value(w, new double[] {0.5, 0.5, 0}, g);
        assertEquals(Math.log(0.5), log, 1e-12);
    }

    @Test
    void trainedRouterPicksTheExpertThatIsRightForTheFeature() {
        // expert 0 is exact when feature 0 is positive, expert 1 when it is negative: the oracle
        // router puts (nearly) all weight on the right one
        Random random = new Random(5);
        List<ForecastWindow> windows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] features = new double[F];
            features[0] = random.nextGaussian();
            double[] actual = {random.nextGaussian(), random.nextGaussian()};
            double[] wrong = {actual[0] + 3, actual[1] - 3};
            double[][] f =
                    features[0] > 0
                            ? new double[][] {actual, wrong}
                            : new double[][] {wrong, actual};
            windows.add(new ForecastWindow("w" + i, 1, features, f, actual, 1));
        }
        for (RouterLoss loss : RouterLoss.values()) {
            SoftmaxRouter router =
                    new RouterTrainer(loss, 1e-4, 500, 0.05)
                            .fit(windows, List.of("a", "b"), SeriesFeatures.NAMES);
            double[] up = new double[F];
            up[0] = 1.5;
            double[] down = new double[F];
            down[0] = -1.5;
            assertTrue(router.weights(up)[0] > 0.9, loss + ": " + router.weights(up)[0]);
            assertTrue(router.weights(down)[1] > 0.9, loss + ": " + router.weights(down)[1]);
        }
    }

    @Test
    void trainingIsDeterministic() {
        List<ForecastWindow> windows = windows(new Random(2), 20, 4);
        RouterTrainer trainer = new RouterTrainer(RouterLoss.LOG_MASE, 0.01, 50, 0.05);
        List<String> experts = List.of("a", "b", "c", "d");
        SoftmaxRouter a = trainer.fit(windows, experts, SeriesFeatures.NAMES);
        SoftmaxRouter b = trainer.fit(windows, experts, SeriesFeatures.NAMES);
        for (int k = 0; k < 4; k++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.theta()[k], b.theta()[k], 0);
        }
    }
}
