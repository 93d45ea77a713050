package io.moezoo.recipes.timeseries.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java ETS, Theta and seasonality test against R's {@code forecast} 8.20 on classic series of
 * R's {@code datasets} ({@code src/test/resources/timeseries/baseline-fixture.json}, written by
 * {@code src/test/r/baseline-fixture.R}).
 *
 * <p>Checks: (1) the seasonality test and Theta forecasts agree with R's {@code thetaf} (Theta to
 * {@value #RELATIVE} of the level per step; observed ≤ 3e-5, the SES optimum differs in the 5th
 * digit); (2) the ETS equations are exact: at R's estimates Java reproduces R's AICc to 1e-6 and
 * its forecasts to 1e-9 of the level; (3) the optimiser: both minimise the same likelihood with
 * different Nelder–Mead variants (R: {@code etsNelderMead}, reltol 1.5e-8; Java: logistic
 * coordinates, restarts, three starts), so the Java fit must be at least as good (AICc at most R's
 * + {@value #AICC_SLACK}) and, where both reach the same optimum (AICc within {@value
 * #SAME_OPTIMUM}), the forecasts agree within {@value #RELATIVE} of the series' mean absolute level
 * (a flat optimum moves the estimates a little; observed ≤ 5e-4); (4) the AICc-selected model is
 * R's, or a model with a clearly lower AICc of the same likelihood.
 */
class BaselineFixtureTest {

    static final double RELATIVE = 0.02;
    static final double AICC_SLACK = 0.05;
    static final double SAME_OPTIMUM = 0.1;

    private static JsonObject series;

    @BeforeAll
    static void read() throws IOException {
        series = fixtureSeries("/timeseries/baseline-fixture.json");
    }

    /** The {@code series} object of an R fixture on the test class path. */
    static JsonObject fixtureSeries(String resource) throws IOException {
        try (InputStream in = BaselineFixtureTest.class.getResourceAsStream(resource)) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .getAsJsonObject()
                    .getAsJsonObject("series");
        }
    }

    /**
     * Asserts that a Java fit is at least as good as R's ({@value #AICC_SLACK} of slack) and, where
     * both reach the same optimum (AICc within {@value #SAME_OPTIMUM}), that their forecasts agree.
     *
     * @return whether both reached the same optimum
     */
    static boolean assertFitMatchesOrBeatsR(
            String what,
            double javaAicc,
            double rAicc,
            double[] javaForecast,
            double[] rForecast,
            double level) {
        System.out.printf(Locale.ROOT, "%-28s AICc java %.3f R %.3f%n", what, javaAicc, rAicc);
        assertTrue(javaAicc <= rAicc + AICC_SLACK, what + ": AICc " + javaAicc + " vs R " + rAicc);
        if (rAicc - javaAicc <= SAME_OPTIMUM) {
            assertClose(rForecast, javaForecast, level, what);
            return true;
        }
        return false;
    }

    static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    static double level(double[] y) {
        double s = 0;
        for (double v : y) {
            s += Math.abs(v) / y.length;
        }
        return s;
    }

    static void assertClose(double[] expected, double[] actual, double scale, String what) {
        assertEquals(expected.length, actual.length, what);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / scale);
        }
        System.out.printf(Locale.ROOT, "%-28s max |java - R| / level = %.5f%n", what, worst);
        assertTrue(worst <= RELATIVE, what + ": relative difference " + worst);
    }

    @Test
    void seasonalityTestMatchesThetaf() {
        for (Map.Entry<String, com.google.gson.JsonElement> e : series.entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            double[] y = doubles(s.getAsJsonArray("values"));
            int m = s.get("period").getAsInt();
            assertEquals(
                    s.get("seasonal").getAsBoolean(), Seasonality.isSeasonal(y, m), e.getKey());
            if (m > 1) {
                assertEquals(
                        s.get("statistic").getAsDouble(),
                        Seasonality.statistic(y, m),
                        1e-9,
                        e.getKey());
            }
        }
    }

    @Test
    void thetaMatchesThetaf() {
        for (Map.Entry<String, com.google.gson.JsonElement> e : series.entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            double[] y = doubles(s.getAsJsonArray("values"));
            double[] theta =
                    Theta.forecast(y, s.get("horizon").getAsInt(), s.get("period").getAsInt());
            assertClose(doubles(s.getAsJsonArray("theta")), theta, level(y), e.getKey() + " theta");
        }
    }

    /** R's {@code par} (s0 = the most recent seasonal state) in the layout of {@link EtsFit#at}. */
    private static double[] javaVector(EtsSpec spec, double[] r, int m) {
        double[] x = r.clone();
        if (spec.seasonal()) {
            int first = r.length - (m - 1);
            for (int p = 1; p < m; p++) {
                x[first + p - 1] = r[first + (m - 1 - p)];
            }
        }
        return x;
    }

    @Test
    void etsEquationsMatchRAtRsEstimates() {
        for (Map.Entry<String, com.google.gson.JsonElement> e : series.entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            double[] y = doubles(s.getAsJsonArray("values"));
            int m = s.get("seasonal").getAsBoolean() ? s.get("period").getAsInt() : 1;
            int h = s.get("horizon").getAsInt();
            for (Map.Entry<String, com.google.gson.JsonElement> model :
                    s.getAsJsonObject("ets").entrySet()) {
                JsonObject r = model.getValue().getAsJsonObject();
                EtsSpec spec = EtsSpec.parse(model.getKey());
                EtsFit at =
                        EtsFit.at(
                                spec, y, m, javaVector(spec, doubles(r.getAsJsonArray("par")), m));
                String what = e.getKey() + " " + model.getKey();
                assertEquals(r.get("aicc").getAsDouble(), at.aicc(), 1e-6, what + " AICc");
                double[] expected = doubles(r.getAsJsonArray("forecast"));
                double[] actual = at.forecast(h);
                for (int j = 0; j < h; j++) {
                    assertEquals(expected[j], actual[j], 1e-9 * level(y), what + " step " + j);
                }
            }
        }
    }

    /**
     * Java's optimiser reaches R's optimum (then the forecasts agree) or a better one: R's {@code
     * etsNelderMead} often stops early on these flat likelihoods (e.g. AirPassengers AAA: R 1569.9,
     * Java 1475.9, an admissible point by R's own {@code forecast:::admissible}).
     */
    @Test
    void etsOptimiserMatchesOrBeatsR() {
        int same = 0;
        for (Map.Entry<String, com.google.gson.JsonElement> e : series.entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            double[] y = doubles(s.getAsJsonArray("values"));
            int m = s.get("seasonal").getAsBoolean() ? s.get("period").getAsInt() : 1;
            int h = s.get("horizon").getAsInt();
            for (Map.Entry<String, com.google.gson.JsonElement> model :
                    s.getAsJsonObject("ets").entrySet()) {
                JsonObject r = model.getValue().getAsJsonObject();
                EtsFit fit = EtsFit.fit(EtsSpec.parse(model.getKey()), y, m);
                if (assertFitMatchesOrBeatsR(
                        e.getKey() + " " + model.getKey(),
                        fit.aicc(),
                        r.get("aicc").getAsDouble(),
                        fit.forecast(h),
                        doubles(r.getAsJsonArray("forecast")),
                        level(y))) {
                    same++;
                }
            }
        }
        System.out.println(same + " fits reach R's optimum");
        assertTrue(same >= 8, "only " + same + " fits reach R's optimum");
    }

    @Test
    void selectedEtsModelMatchesR() {
        for (Map.Entry<String, com.google.gson.JsonElement> e : series.entrySet()) {
            JsonObject s = e.getValue().getAsJsonObject();
            double[] y = doubles(s.getAsJsonArray("values"));
            int m = s.get("seasonal").getAsBoolean() ? s.get("period").getAsInt() : 1;
            JsonObject r = s.getAsJsonObject("selected");
            EtsFit fit = Ets.select(y, m);
            System.out.printf(
                    Locale.ROOT,
                    "%-28s selected java %s (%.3f) R %s (%.3f)%n",
                    e.getKey(),
                    fit.spec().name(),
                    fit.aicc(),
                    r.get("model").getAsString(),
                    r.get("aicc").getAsDouble());
            // R's Nelder-Mead stops in a local optimum on some seasonal series (AirPassengers,
            // austres: AAA with a far lower AICc than R's AAA fit); there the selection may differ
            // but only towards a clearly better fit of the same likelihood
            assertTrue(
                    r.get("model").getAsString().equals(fit.spec().name())
                            || fit.aicc() < r.get("aicc").getAsDouble() - 1,
                    e.getKey() + ": selected " + fit.spec().name() + " vs R " + r.get("model"));
        }
    }
}
