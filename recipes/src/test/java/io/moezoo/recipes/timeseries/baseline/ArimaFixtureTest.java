package io.moezoo.recipes.timeseries.baseline;

import static io.moezoo.recipes.timeseries.baseline.BaselineFixtureTest.assertClose;
import static io.moezoo.recipes.timeseries.baseline.BaselineFixtureTest.doubles;
import static io.moezoo.recipes.timeseries.baseline.BaselineFixtureTest.level;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Kpss}, {@link ArimaFit} and {@link AutoArima} against R's {@code forecast} 8.20 and {@code
 * urca} on the classic series of {@code src/test/r/fixture-series.R} ({@code
 * src/test/resources/timeseries/arima-fixture.json}, written by {@code
 * src/test/r/arima-fixture.R}).
 *
 * <p>Checks: (1) the KPSS statistic equals urca's to 1e-9 and the number of differences equals
 * {@code ndiffs}'s; (2) the seasonal-difference rule (classical seasonal strength above 0.64) gives
 * the D that R computed from {@code decompose}; (3) the CSS equations are exact: at R's estimates
 * Java reproduces R's conditional mean square to 1e-9 (relative); (4) the optimiser: a fixed-order
 * CSS fit reaches a mean square at most R's (1e-6 slack; R uses BFGS, Java Nelder–Mead); (5) the
 * stepwise search ends at an AICc at most R's + {@value #AICC_SLACK}, and where it ends at R's
 * model the forecasts agree within {@value BaselineFixtureTest#RELATIVE} of the level (R forecasts
 * a CSS fit with the Kalman filter, Java with the conditional recursion).
 */
class ArimaFixtureTest {

    static final double AICC_SLACK = 0.05;

    private static JsonObject series;

    @BeforeAll
    static void read() throws IOException {
        series = BaselineFixtureTest.fixtureSeries("/timeseries/arima-fixture.json");
    }

    private static ArimaSpec spec(JsonObject fit, int m) {
        JsonArray o = fit.getAsJsonArray("order");
        int sp = o.get(3).getAsInt();
        int sd = o.get(4).getAsInt();
        int sq = o.get(5).getAsInt();
        return new ArimaSpec(
                o.get(0).getAsInt(),
                o.get(1).getAsInt(),
                o.get(2).getAsInt(),
                sp,
                sd,
                sq,
                sp + sd + sq > 0 ? m : 1,
                fit.get("constant").getAsBoolean());
    }

    @Test
    void kpssAndDifferencesMatchR() {
        for (Map.Entry<String, JsonElement> e : series.entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            double[] y = doubles(s.getAsJsonArray("values"));
            int m = s.get("period").getAsInt();
            assertEquals(s.get("kpss").getAsDouble(), Kpss.statistic(y), 1e-9, e.getKey());
            assertEquals(s.get("ndiffs").getAsInt(), Kpss.differences(y, 2), e.getKey());
            int seasonalD = s.get("seasonal_differences").getAsInt();
            double[] dx = seasonalD > 0 ? Kpss.difference(y, m) : y;
            assertEquals(
                    s.get("ndiffs_after_seasonal").getAsInt(), Kpss.differences(dx, 2), e.getKey());
            if (m > 1) {
                assertEquals(
                        s.get("classical_strength").getAsDouble(),
                        ClassicalDecomposition.seasonalStrength(y, m),
                        1e-9,
                        e.getKey());
            }
        }
    }

    @Test
    void cssAtRsEstimatesIsRsAndTheFitIsAtLeastAsGood() {
        for (Map.Entry<String, JsonElement> e : series.entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            double[] y = doubles(s.getAsJsonArray("values"));
            JsonObject fixed = s.getAsJsonObject("fixed");
            ArimaSpec spec = spec(fixed, s.get("period").getAsInt());
            double rSigma2 = fixed.get("css_sigma2").getAsDouble();
            ArimaFit atR = ArimaFit.at(spec, y, doubles(fixed.getAsJsonArray("coefficients")));
            assertEquals(1, atR.sigma2() / rSigma2, 1e-9, e.getKey() + " " + spec.name());
            ArimaFit fit = ArimaFit.fit(spec, y);
            System.out.printf(
                    Locale.ROOT,
                    "%-14s %-36s CSS sigma2 java %.6g R %.6g%n",
                    e.getKey(),
                    spec.name(),
                    fit.sigma2(),
                    rSigma2);
            assertTrue(fit.sigma2() <= rSigma2 * (1 + 1e-6), e.getKey() + " " + spec.name());
        }
    }

    @Test
    void stepwiseSearchEndsAtRsAiccOrBelow() {
        int same = 0;
        for (Map.Entry<String, JsonElement> e : series.entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            double[] y = doubles(s.getAsJsonArray("values"));
            int m = s.get("period").getAsInt();
            int h = s.get("horizon").getAsInt();
            JsonObject auto = s.getAsJsonObject("auto");
            ArimaSpec rSpec = spec(auto, m);
            ArimaFit fit = AutoArima.select(y, m);
            double rAicc = auto.get("aicc").getAsDouble();
            System.out.printf(
                    Locale.ROOT,
                    "%-14s java %-40s AICc %.3f | R %-40s AICc %.3f%n",
                    e.getKey(),
                    fit.spec().name(),
                    fit.aicc(),
                    rSpec.name(),
                    rAicc);
            assertEquals(rSpec.d(), fit.spec().d(), e.getKey());
            assertEquals(rSpec.seasonalD(), fit.spec().seasonalD(), e.getKey());
            assertTrue(fit.aicc() <= rAicc + AICC_SLACK, e.getKey() + ": AICc " + fit.aicc());
            if (fit.spec().equals(rSpec)) {
                assertClose(
                        doubles(auto.getAsJsonArray("forecast")),
                        fit.forecast(h),
                        level(y),
                        e.getKey() + " ARIMA");
                same++;
            }
        }
        System.out.println(same + " searches end at R's model");
        assertTrue(same >= 6, "only " + same + " searches end at R's model");
    }
}
