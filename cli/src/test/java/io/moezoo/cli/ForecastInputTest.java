package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forecast} reads a series from CSV or JSON: each JSON form forecasts exactly what the same
 * values in a CSV column do; other JSON is refused with the accepted forms.
 */
class ForecastInputTest {

    @TempDir Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MoeZooCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static JsonArray forecast(String... args) {
        Result r = run(args);
        assertEquals(0, r.code(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("forecast");
    }

    @Test
    void jsonSeriesForecastLikeTheCsvColumn() throws Exception {
        StringBuilder csv = new StringBuilder("month,sales\n");
        StringBuilder numbers = new StringBuilder();
        StringBuilder records = new StringBuilder();
        for (int t = 0; t < 48; t++) {
            String v = String.format(Locale.ROOT, "%.3f", 100 + t + 10 * Math.sin(t / 2.0));
            csv.append(t).append(',').append(v).append('\n');
            numbers.append(t == 0 ? "" : ", ").append(v);
            records.append(t == 0 ? "" : ", ").append("{\"month\": ").append(t);
            records.append(", \"sales\": ").append(v).append('}');
        }
        Path csvFile = Files.writeString(dir.resolve("s.csv"), csv);
        JsonArray expected =
                forecast("forecast", csvFile.toString(), "--column", "sales", "--horizon", "4");
        assertEquals(4, expected.size());

        Path array = Files.writeString(dir.resolve("array.json"), "[" + numbers + "]");
        assertEquals(expected, forecast("forecast", array.toString(), "--horizon", "4"));
        Path object =
                Files.writeString(
                        dir.resolve("object.JSON"),
                        "{\"name\": \"sales\", \"values\": [" + numbers + "]}");
        assertEquals(expected, forecast("forecast", object.toString(), "--horizon", "4"));
        Path recordFile = Files.writeString(dir.resolve("records.json"), "[" + records + "]");
        assertEquals(
                expected,
                forecast("forecast", recordFile.toString(), "--column", "sales", "--horizon", "4"));
    }

    @Test
    void otherInputIsRefusedWithTheAcceptedForms() throws Exception {
        Path json = Files.writeString(dir.resolve("other.json"), "{\"sales\": 1, \"month\": 2}");
        Result other = run("forecast", json.toString(), "--horizon", "4");
        assertEquals(MoeZooCli.BAD_INPUT, other.code());
        assertEquals(1, other.err().strip().lines().count(), other.err());
        assertTrue(
                other.err().contains("no \"values\" or \"series\" array in the object")
                        && other.err().contains("accepted JSON: an array of numbers"),
                other.err());

        Path csv = Files.writeString(dir.resolve("s.csv"), "month,sales\n1,2\n");
        Result noColumn = run("forecast", csv.toString(), "--horizon", "4");
        assertEquals(MoeZooCli.BAD_INPUT, noColumn.code());
        assertTrue(noColumn.err().contains("--column is required for a CSV file"), noColumn.err());

        Path misnamed = Files.writeString(dir.resolve("series.txt"), "[1, 2, 3]");
        Result looksLikeJson =
                run("forecast", misnamed.toString(), "--column", "v", "--horizon", "4");
        assertEquals(MoeZooCli.BAD_INPUT, looksLikeJson.code());
        assertTrue(looksLikeJson.err().contains("this looks like JSON"), looksLikeJson.err());
    }
}
