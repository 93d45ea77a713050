package io.moezoo.recipes.timeseries.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mixture's forecast on a ramp with hand-set router weights, and the router file. */
class MixtureForecasterTest {

    static final int NETWORK = ExpertPanel.EXPERTS.indexOf("network");

    static SoftmaxRouter router(double biasNaive, double biasNetwork) {
        int f = ExpertPanel.FEATURES.size();
        double[] ones = new double[f];
        Arrays.fill(ones, 1);
        double[][] theta = new double[2][f + 1];
        theta[0][f] = biasNaive;
        theta[1][f] = biasNetwork;
        return new SoftmaxRouter(
                List.of("naive", "network"), ExpertPanel.FEATURES, new double[f], ones, theta);
    }

    static double[] ramp() {
        double[] x = new double[40];
        for (int t = 0; t < x.length; t++) {
            x[t] = t;
        }
        return x;
    }

    @Test
    void equalBiasesAverageNaiveAndNetwork() throws Exception {
        // naive forecasts 39, the stand-in network 0: equal weights give 19.5
        MixtureForecaster m =
                new MixtureForecaster(
                        router(0, 0),
                        new int[] {0, NETWORK},
                        (h, horizon, f) -> new double[horizon]);
        MixtureForecaster.Result r = m.forecast(ramp(), 3, 12, "M");
        assertArrayEquals(new double[] {19.5, 19.5, 19.5}, r.forecast(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, r.weights(), 1e-12);
        assertEquals(1, r.season());
        // a bias of ln 3 gives naive 3/4 of the weight: 0.75 * 39
        MixtureForecaster tilted =
                new MixtureForecaster(
                        router(Math.log(3), 0),
                        new int[] {0, NETWORK},
                        (h, horizon, f) -> new double[horizon]);
        assertEquals(0.75 * 39, tilted.forecast(ramp(), 2, 1, "Y").forecast()[1], 1e-9);
    }

    @Test
    void routerFileRoundTrips(@TempDir Path dir) throws Exception {
        SoftmaxRouter r = router(0.25, -1);
        Path file = dir.resolve("router.json");
        MixtureForecaster.save(r, file);
        SoftmaxRouter back = MixtureForecaster.load(file);
        assertEquals(r.experts(), back.experts());
        assertEquals(r.features(), back.features());
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(r.theta()[k], back.theta()[k], 0);
        }
        assertArrayEquals(r.stds(), back.stds(), 0);
    }

    @Test
    void rejectsAMismatchedRouterAndFlatHistories() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new MixtureForecaster(
                                router(0, 0), new int[] {0}, (h, n, f) -> new double[n]));
        MixtureForecaster m =
                new MixtureForecaster(
                        router(0, 0), new int[] {0, NETWORK}, (h, n, f) -> new double[n]);
        assertThrows(IllegalArgumentException.class, () -> m.forecast(new double[30], 3, 1, "Y"));
    }
}
