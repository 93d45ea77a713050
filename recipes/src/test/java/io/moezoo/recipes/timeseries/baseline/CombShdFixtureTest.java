package io.moezoo.recipes.timeseries.baseline;

import static io.moezoo.recipes.timeseries.baseline.BaselineFixtureTest.assertClose;
import static io.moezoo.recipes.timeseries.baseline.BaselineFixtureTest.assertFitMatchesOrBeatsR;
import static io.moezoo.recipes.timeseries.baseline.BaselineFixtureTest.doubles;
import static io.moezoo.recipes.timeseries.baseline.BaselineFixtureTest.fixtureSeries;
import static io.moezoo.recipes.timeseries.baseline.BaselineFixtureTest.level;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CombShd} against the same combination computed with R's {@code forecast} and {@code
 * stats::decompose} ({@code src/test/resources/timeseries/comb-shd-fixture.json}, written by {@code
 * src/test/r/comb-shd-fixture.R}) on the classic series of {@link BaselineFixtureTest}.
 *
 * <p>Where Java's three fits on the adjusted series reach R's optima (AICc within {@value
 * BaselineFixtureTest#SAME_OPTIMUM}), the combined forecasts agree within {@value
 * BaselineFixtureTest#RELATIVE} of the series' level; elsewhere Java's fits must be at least as
 * good as R's, as in {@link BaselineFixtureTest#etsOptimiserMatchesOrBeatsR}.
 */
class CombShdFixtureTest {

    @Test
    void combinationMatchesR() throws IOException {
        JsonObject series = fixtureSeries("/timeseries/comb-shd-fixture.json");
        int sameFits = 0;
        int sameCombinations = 0;
        for (Map.Entry<String, JsonElement> e : series.entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            double[] y = doubles(s.getAsJsonArray("values"));
            int m = s.get("period").getAsInt();
            int h = s.get("horizon").getAsInt();
            boolean seasonal = s.get("seasonal").getAsBoolean();
            ClassicalDecomposition d = ClassicalDecomposition.benchmarkAdjustment(y, m, seasonal);
            double[] x = d == null ? y : d.adjust(y);
            double[] javaMean = new double[h];
            double[] rMean = new double[h];
            boolean allSame = true;
            for (Map.Entry<String, JsonElement> model : s.getAsJsonObject("models").entrySet()) {
                JsonObject r = model.getValue().getAsJsonObject();
                EtsFit fit = EtsFit.fit(EtsSpec.parse(model.getKey()), x, 1);
                double[] javaForecast = fit.forecast(h);
                double[] rForecast = doubles(r.getAsJsonArray("forecast"));
                // The same adjusted series (the fits are at least as good as R's) and, where both
                // optimisers reach the same optimum, the same forecasts.
                if (assertFitMatchesOrBeatsR(
                        e.getKey() + " " + model.getKey(),
                        fit.aicc(),
                        r.get("aicc").getAsDouble(),
                        javaForecast,
                        rForecast,
                        level(x))) {
                    sameFits++;
                } else {
                    allSame = false;
                }
                for (int j = 0; j < h; j++) {
                    javaMean[j] += javaForecast[j] / 3;
                    rMean[j] += rForecast[j] / 3;
                }
            }
            double[] comb = CombShd.forecast(y, h, m, seasonal);
            double[] rComb = doubles(s.getAsJsonArray("comb_shd"));
            for (int j = 0; j < h; j++) {
                // The mean of the three models, put back into season with R's phase.
                assertEquals(
                        rComb[j] / rMean[j], comb[j] / javaMean[j], 1e-9, e.getKey() + " " + j);
            }
            if (allSame) {
                sameCombinations++;
                assertClose(rComb, comb, level(y), e.getKey() + " comb_shd");
            }
        }
        System.out.println(sameFits + " fits and " + sameCombinations + " combinations match R's");
        assertTrue(sameFits >= 12, "only " + sameFits + " fits reach R's optimum");
        assertTrue(sameCombinations >= 1, "no series has all three fits at R's optima");
    }

    @Test
    void nonSeasonalCombinationIsTheMeanOfTheThreeModels() {
        double[] y = new double[40];
        for (int t = 0; t < y.length; t++) {
            y[t] = 10 + 0.5 * t + Math.sin(t);
        }
        double[] comb = CombShd.forecast(y, 6, 12, false);
        for (int h = 0; h < 6; h++) {
            double mean = 0;
            for (EtsSpec spec : EtsSpec.candidates(false)) {
                mean += EtsFit.fit(spec, y, 1).forecast(6)[h] / 3;
            }
            assertEquals(mean, comb[h], 1e-12 * Math.abs(mean), "step " + h);
        }
        assertThrows(
                InvalidHistoryException.class, () -> CombShd.forecast(new double[3], 2, 1, false));
    }
}
