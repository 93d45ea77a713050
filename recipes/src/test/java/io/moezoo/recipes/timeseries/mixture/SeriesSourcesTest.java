package io.moezoo.recipes.timeseries.mixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows, the R file format and the split never touching the vega test tails. */
class SeriesSourcesTest {

    static double[] ramp(int n) {
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = t;
        }
        return x;
    }

    @Test
    void windowsAreCutFromTheEnd() {
        SourceSeries s = new SourceSeries("s", "r", ramp(100), 1, 10, "Y");
        List<ForecastTask> w = s.windows(10, 2, 50);
        assertEquals(2, w.size());
        assertEquals("r:s@80", w.get(0).name());
        assertArrayEquals(
                new double[] {80, 81, 82, 83, 84, 85, 86, 87, 88, 89}, w.get(0).actual(), 0);
        assertEquals(50, w.get(0).history().length);
        assertEquals(30, w.get(0).history()[0], 0);
        assertEquals(70, w.get(1).actual()[0], 0);
        // origins below the shortest history (30) are left out: 100 - 10 - 7 * 10 = 20
        assertEquals(6, s.windows(10, 20, 1000).size());
    }

    @Test
    void readsTheRExport(@TempDir Path dir) throws IOException {
        Path tsv = dir.resolve("r.tsv");
        Files.writeString(
                tsv, "datasets/a\t12\t1,2,3.5\n\nAER/b/x\t4\t-1e3,2\n", StandardCharsets.UTF_8);
        List<SourceSeries> list = SeriesSources.rSeries(tsv);
        assertEquals(2, list.size());
        assertArrayEquals(new double[] {1, 2, 3.5}, list.get(0).values(), 0);
        assertEquals(12, list.get(0).candidatePeriod());
        assertEquals(4, list.get(1).candidatePeriod());
        assertEquals(8, list.get(1).horizon());
        Files.writeString(tsv, "x\t1\t1,zz\n", StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> SeriesSources.rSeries(tsv));
    }

    @Test
    void mapsRFrequencies() {
        assertEquals(1, SeriesSources.fromR("a", 1, new double[1]).candidatePeriod());
        assertEquals(10, SeriesSources.fromR("a", 0.1, new double[1]).horizon());
        assertEquals(7, SeriesSources.fromR("a", 365, new double[1]).candidatePeriod());
        assertEquals(5, SeriesSources.fromR("a", 260, new double[1]).candidatePeriod());
        assertEquals(48, SeriesSources.fromR("a", 336, new double[1]).horizon());
        assertEquals(52, SeriesSources.fromR("a", 52, new double[1]).candidatePeriod());
    }

    @Test
    void splitKeepsTheVegaSeriesOutOfTrainingAndChoice() {
        List<SourceSeries> vega = List.of(new SourceSeries("v", "vega", ramp(200), 12, 12, "M"));
        List<SourceSeries> r = List.of();
        List<SourceSeries> synthetic = SeriesSources.synthetic(3, 10);
        List<List<ForecastTask>> split = MixtureRecipe.split(r, synthetic, vega, 3);
        double testStart = 200 - 12;
        for (List<ForecastTask> part : split) {
            for (ForecastTask t : part) {
                if (t.name().startsWith("vega:")) {
                    assertTrue(t.actual()[t.horizon() - 1] < testStart, t.name());
                }
            }
        }
        // vega trains and validates nothing; its window just before the test tail is a diagnostic
        assertEquals(0, split.get(0).stream().filter(t -> t.name().startsWith("vega:")).count());
        assertEquals(0, split.get(1).stream().filter(t -> t.name().startsWith("vega:")).count());
        assertEquals(1, split.get(2).size());
        assertEquals(176, split.get(2).get(0).actual()[0], 0);
        // 20% of the 10 synthetic series validate
        assertEquals(
                2, split.get(1).stream().filter(t -> t.name().startsWith("synthetic:")).count());
        assertEquals(
                8, split.get(0).stream().filter(t -> t.name().startsWith("synthetic:")).count());
    }
}
