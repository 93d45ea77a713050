package io.moezoo.recipes.timeseries.mixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validation score by hand, and the candidate grid. */
class MixtureRecipeTest {

    static ForecastWindow window(String name, double error) {
        // one expert, forecast 0, actual = error, scale 1: MASE = error
        return new ForecastWindow(
                name,
                1,
                new double[ExpertPanel.FEATURES.size()],
                new double[][] {{0, 0}},
                new double[] {error, error},
                1);
    }

    @Test
    void scoreIsTheGeometricMeanOverRAndSyntheticOnly() {
        List<ForecastWindow> windows =
                List.of(
                        window("r:a@1", 2),
                        window("r:b@1", 8),
                        window("synthetic:c@1", 0.5),
                        window("synthetic:d@1", 0.001),
                        window("vega:e@1", 100));
        RouterRecipe only = new RouterRecipe(new int[] {0}, false, RouterLoss.FFORMA, 0, 0);
        Map<String, Double> s = MixtureRecipe.validate(only.fit(windows), new int[] {0}, windows);
        // r: sqrt(2 * 8) = 4; synthetic: 0.001 floored at 0.01, sqrt(0.5 * 0.01)
        assertEquals(4, s.get("r"), 1e-12);
        assertEquals(Math.sqrt(0.005), s.get("synthetic"), 1e-12);
        assertEquals(100, s.get("vega"), 1e-9);
        assertEquals(Math.sqrt(4 * Math.sqrt(0.005)), s.get("score"), 1e-12);
    }

    @Test
    void subsetGridHasEverySubsetOnceWithEqualWeights() {
        List<RouterRecipe> grid = RouterRecipe.subsetGrid();
        int k = ExpertPanel.EXPERTS.size();
        int subsets = (1 << k) - 1;
        assertEquals(subsets + (subsets - k) * RouterRecipe.LAMBDAS.length, grid.size());
        java.util.Set<String> equal = new java.util.HashSet<>();
        for (RouterRecipe r : grid) {
            if (r.steps() == 0) {
                assertTrue(equal.add(java.util.Arrays.toString(r.experts())), r.describe());
            } else {
                assertTrue(r.experts().length > 1, r.describe());
                assertEquals(RouterLoss.FFORMA, r.loss());
                assertTrue(r.holdout());
            }
        }
        assertEquals(subsets, equal.size());
        assertTrue(equal.contains("[2]"), "ETS alone is a candidate");
        assertEquals(
                "experts ets+network, equal weights",
                new RouterRecipe(
                                new int[] {2, ExpertPanel.EXPERTS.indexOf("network")},
                                false,
                                RouterLoss.FFORMA,
                                0,
                                0)
                        .describe());
    }

    @Test
    void gridHasEqualWeightsAndEveryLossLambdaAndFeatureSet() {
        List<RouterRecipe> grid = RouterRecipe.grid();
        assertEquals(
                2 * (1 + 2 * RouterLoss.values().length * RouterRecipe.LAMBDAS.length),
                grid.size());
        assertTrue(grid.get(0).describe().contains("equal weights"));
        assertEquals(ExpertPanel.FEATURES, grid.get(grid.size() - 1).featureNames());
    }
}
