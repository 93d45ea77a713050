package io.moezoo.zoo.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV/JSON series readers and the catalog on the real vega-datasets files. */
class SeriesFilesTest {

    @TempDir Path dir;

    @Test
    void readsFilteredCsvAndJson() throws IOException {
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, "symbol,date,price\nA,\"Jan 1, 2000\",1.5\nB,x,9\nA,y,2.5\n");
        assertArrayEquals(new float[] {1.5f, 2.5f}, SeriesFiles.read(csv, "price", "symbol", "A"));
        Path json = dir.resolve("s.json");
        Files.writeString(
                json, "[{\"k\":\"a\",\"v\":1},{\"k\":\"b\",\"v\":2},{\"k\":\"a\",\"v\":3}]");
        assertArrayEquals(new float[] {1f, 3f}, SeriesFiles.read(json, "v", "k", "a"));
    }

    @Test
    void errorsNameTheProblem() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "a,b\n1,2\n3,oops\n");
        MalformedSeriesException missing =
                assertThrows(
                        MalformedSeriesException.class,
                        () -> SeriesFiles.read(csv, "c", null, null));
        assertTrue(missing.getMessage().contains("no column 'c'"), missing.getMessage());
        MalformedSeriesException nan =
                assertThrows(
                        MalformedSeriesException.class,
                        () -> SeriesFiles.read(csv, "b", null, null));
        assertTrue(nan.getMessage().contains("line 3") && nan.getMessage().contains("oops"));
        MalformedSeriesException none =
                assertThrows(
                        MalformedSeriesException.class, () -> SeriesFiles.read(csv, "b", "a", "7"));
        assertTrue(none.getMessage().contains("no values with a = '7'"), none.getMessage());
        Path json = dir.resolve("bad.json");
        Files.writeString(json, "{\"v\": 1}");
        assertThrows(MalformedSeriesException.class, () -> SeriesFiles.read(json, "v", null, null));
        Files.writeString(json, "[{\"w\": 1}]");
        MalformedSeriesException field =
                assertThrows(
                        MalformedSeriesException.class,
                        () -> SeriesFiles.read(json, "v", null, null));
        assertTrue(field.getMessage().contains("no field 'v'"), field.getMessage());
        assertThrows(
                MalformedSeriesException.class,
                () -> SeriesFiles.read(dir.resolve("x.txt"), "v", null, null));
    }

    @Test
    void catalogSeriesLoadAndTrainingAndZeroShotAreDisjoint() throws IOException {
        // a missing data set fails here with the install command in the message
        assertEquals(741, VegaCatalog.training().get(0).load().length, "co2 monthly values");
        Set<String> seen = new HashSet<>();
        for (VegaSeries s : VegaCatalog.training()) {
            assertTrue(seen.add(s.file() + "|" + s.field() + "|" + s.keyValue()), s.name());
            assertTrue(s.load().length > s.horizon() + 8, s.name());
        }
        for (VegaSeries s : VegaCatalog.zeroShot()) {
            assertTrue(
                    seen.add(s.file() + "|" + s.field() + "|" + s.keyValue()),
                    s.name() + " is also a training series");
            assertTrue(s.load().length > s.horizon() + 8, s.name());
        }
        assertEquals(32, VegaCatalog.training().size());
        assertEquals(21, VegaCatalog.zeroShot().size());
    }
}
