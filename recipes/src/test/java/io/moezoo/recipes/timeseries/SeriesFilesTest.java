package io.moezoo.recipes.timeseries;

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
    void readsEveryJsonFormOfASeries() throws IOException {
        float[] expected = {1.5f, -2f, 300f};
        Path json = dir.resolve("forms.json");
        Files.writeString(json, "[1.5, -2, 3e2]");
        assertArrayEquals(expected, SeriesFiles.jsonValues(json, null));
        Files.writeString(json, "{\"name\": \"x\", \"values\": [1.5, -2, 3e2]}");
        assertArrayEquals(expected, SeriesFiles.jsonValues(json, null));
        Files.writeString(json, "{\"series\": [1.5, -2, 3e2]}");
        assertArrayEquals(expected, SeriesFiles.jsonValues(json, null));
        Files.writeString(json, "{\"sales\": [1.5, -2, 3e2], \"values\": [9]}");
        assertArrayEquals(expected, SeriesFiles.jsonValues(json, "sales"));
        Files.writeString(json, "[{\"v\": 1.5}, {\"v\": -2}, {\"v\": 3e2}]");
        assertArrayEquals(expected, SeriesFiles.jsonValues(json, "v"));
    }

    @Test
    void refusesOtherJsonNamingTheAcceptedForms() throws IOException {
        Path json = dir.resolve("other.json");
        for (String text :
                new String[] {"{\"a\": 1}", "\"text\"", "[[1, 2], [3]]", "{\"values\": [1, {}]}"}) {
            Files.writeString(json, text);
            MalformedSeriesException e =
                    assertThrows(
                            MalformedSeriesException.class,
                            () -> SeriesFiles.jsonValues(json, null));
            assertTrue(e.getMessage().contains("accepted JSON: an array of numbers"), text);
        }
        Files.writeString(json, "[1, NaN]");
        MalformedSeriesException nan =
                assertThrows(
                        MalformedSeriesException.class, () -> SeriesFiles.jsonValues(json, null));
        assertTrue(
                nan.getMessage().contains("element 1: value NaN is not finite"), nan.getMessage());
        Files.writeString(json, "[{\"v\": 1}]");
        MalformedSeriesException unnamed =
                assertThrows(
                        MalformedSeriesException.class, () -> SeriesFiles.jsonValues(json, null));
        assertTrue(unnamed.getMessage().contains("name the field"), unnamed.getMessage());
        Files.writeString(json, "[1, 2]");
        MalformedSeriesException field =
                assertThrows(
                        MalformedSeriesException.class, () -> SeriesFiles.jsonValues(json, "v"));
        assertTrue(field.getMessage().contains("has no field 'v'"), field.getMessage());
    }

    @Test
    void csvInputIsStrictAndBounded() throws IOException {
        Path csv = dir.resolve("strict.csv");
        Files.write(
                csv,
                "\uFEFFmonth,v\r\n1,2.5\r\n2,-1e2\r\n\r\n3,+.5\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertArrayEquals(
                new float[] {2.5f, -100f, 0.5f},
                SeriesFiles.csv(csv, "v", null, null),
                "BOM dropped, CRLF lines, blank lines skipped");
        String[][] refusals = {
            {"v\n1\nNaN\n", "line 3, column 'v': value NaN is not finite"},
            {"v\n1\n-Infinity\n", "line 3, column 'v': value -Infinity is not finite"},
            {"v\n3.4e39\n", "line 2, column 'v': value 3.4e39 is not finite in float32"},
            {"v\n12d\n", "line 2, column 'v': '12d' is not a number"},
            {"v\n0x10\n", "line 2, column 'v': '0x10' is not a number"},
            {"a,v\n1,\n", "line 2, column 'v': empty value, expected a number"},
            {"a,v\n1,2,3,4\n", "line 2: at least 3 cells, the header has 2"},
            {"v\n" + "\u001b[2J".repeat(20) + "\n", "'\\u001b[2J\\u001b[2J"},
        };
        for (String[] r : refusals) {
            Files.writeString(csv, r[0]);
            MalformedSeriesException e =
                    assertThrows(
                            MalformedSeriesException.class,
                            () -> SeriesFiles.csv(csv, "v", null, null));
            assertTrue(e.getMessage().contains(r[1]), e.getMessage());
            assertTrue(e.getMessage().length() < 200, e.getMessage());
        }
        Files.writeString(csv, "v\n" + "1\n".repeat(SeriesFiles.MAX_VALUES + 1));
        assertEquals(
                csv + ": more than 100000 values, the most a series may have",
                assertThrows(
                                MalformedSeriesException.class,
                                () -> SeriesFiles.csv(csv, "v", null, null))
                        .getMessage());
        Files.writeString(csv, "v\n" + "1\n".repeat(SeriesFiles.MAX_VALUES));
        assertEquals(SeriesFiles.MAX_VALUES, SeriesFiles.csv(csv, "v", null, null).length);
        Files.writeString(csv, "c,".repeat(SeriesFiles.MAX_COLUMNS) + "v\n");
        assertEquals(
                csv + ": more than 1000 columns in the header",
                assertThrows(
                                MalformedSeriesException.class,
                                () -> SeriesFiles.csv(csv, "v", null, null))
                        .getMessage());
        Files.write(csv, "v\n1\n".getBytes(java.nio.charset.StandardCharsets.UTF_16));
        assertEquals(
                csv + " is UTF-16BE text (by its byte order mark); it must be UTF-8",
                assertThrows(
                                io.moezoo.recipes.data.InvalidTextException.class,
                                () -> SeriesFiles.csv(csv, "v", null, null))
                        .getMessage());
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
