package io.moezoo.recipes.timeseries;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.recipes.data.TextFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads one numeric series from a CSV file (header row, comma separated, optional double quotes) or
 * from a JSON array of objects, optionally keeping only the rows whose key field has a given value
 * (e.g. {@code symbol = AAPL}); {@link #jsonValues} also reads the plain JSON forms of a series
 * ({@value #JSON_FORMS}). Values are taken in file order, which for the vega-datasets files used
 * here is chronological. Every failure names the file, the line or record and the problem.
 *
 * <p>Inputs are bounded and strict: a regular file of at most {@value #MAX_FILE_BYTES} bytes in
 * UTF-8 (see {@link TextFiles}), at most {@value #MAX_COLUMNS} columns and {@value #MAX_VALUES}
 * values, every value a finite decimal number ({@code 12}, {@code -0.5}, {@code 1.5e3}; no {@code
 * NaN}, {@code Infinity}, hexadecimal or type suffixes), every row as wide as the header.
 */
public final class SeriesFiles {

    /** The largest accepted file, in bytes (16 MiB). */
    public static final long MAX_FILE_BYTES = 16L << 20;

    /** The most values a series may have. */
    public static final int MAX_VALUES = 100_000;

    /** The most columns a CSV header may have. */
    public static final int MAX_COLUMNS = 1_000;

    /** The JSON forms {@link #jsonValues} reads, for messages. */
    public static final String JSON_FORMS =
            "an array of numbers [1.5, 2, ...], an object with a \"values\" or \"series\" array of"
                    + " numbers (or an array named by the field), or an array of records"
                    + " [{\"FIELD\": 1.5}, ...] with the field named";

    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NOT_FINITE =
            Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private SeriesFiles() {}

    /**
     * Reads a series; the format follows the file extension ({@code .csv} or {@code .json}).
     *
     * @param file the file
     * @param field the numeric column / field
     * @param keyField the filter column / field, or null for every row
     * @param keyValue the value the filter field must have
     * @return the values in file order
     * @throws MalformedSeriesException if a column is missing, a value is not a finite number, no
     *     row matches, a bound is exceeded, or the file is not valid CSV/JSON
     * @throws IOException if the file cannot be read or is not UTF-8 text ({@link
     *     io.moezoo.recipes.data.InvalidTextException})
     */
    public static float[] read(Path file, String field, String keyField, String keyValue)
            throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".csv")) {
            return csv(file, field, keyField, keyValue);
        }
        if (name.endsWith(".json")) {
            return json(file, field, keyField, keyValue);
        }
        throw new MalformedSeriesException(file + ": unsupported format (expected .csv or .json)");
    }

    /**
     * Reads a CSV column.
     *
     * @param file the CSV file
     * @param column the numeric column
     * @param keyColumn the filter column, or null
     * @param keyValue the value the filter column must have
     * @return the values in file order
     * @throws IOException if the file cannot be read or does not hold the series
     */
    public static float[] csv(Path file, String column, String keyColumn, String keyValue)
            throws IOException {
        String text = TextFiles.readUtf8(file, MAX_FILE_BYTES);
        int end = lineEnd(text, 0);
        if (text.isBlank()) {
            throw new MalformedSeriesException(file + ": empty file, expected a header row");
        }
        List<String> header = split(text.substring(0, end), MAX_COLUMNS + 1);
        if (header.size() > MAX_COLUMNS) {
            throw new MalformedSeriesException(
                    file + ": more than " + MAX_COLUMNS + " columns in the header");
        }
        int valueIndex = header.indexOf(column);
        if (valueIndex < 0) {
            String first = text.strip();
            throw new MalformedSeriesException(
                    file
                            + ": no column '"
                            + column
                            + "'; columns are "
                            + shown(header)
                            + (first.startsWith("[") || first.startsWith("{")
                                    ? " (this looks like JSON: a file named *.json is read as JSON)"
                                    : ""));
        }
        int keyIndex = keyColumn == null ? -1 : header.indexOf(keyColumn);
        if (keyColumn != null && keyIndex < 0) {
            throw new MalformedSeriesException(
                    file + ": no key column '" + keyColumn + "'; columns are " + shown(header));
        }
        Values values = new Values(file);
        int line = 1;
        for (int start = next(text, end); start < text.length(); start = next(text, end)) {
            line++;
            end = lineEnd(text, start);
            if (text.substring(start, end).isBlank()) {
                continue;
            }
            List<String> cells = split(text.substring(start, end), header.size() + 1);
            if (cells.size() != header.size()) {
                throw new MalformedSeriesException(
                        file
                                + " line "
                                + line
                                + ": "
                                + (cells.size() > header.size() ? "at least " : "")
                                + cells.size()
                                + " cells, the header has "
                                + header.size());
            }
            if (keyIndex >= 0 && !cells.get(keyIndex).equals(keyValue)) {
                continue;
            }
            values.add(
                    number(
                            cells.get(valueIndex),
                            file + " line " + line + ", column '" + column + "'"));
        }
        return values.toArray(keyColumn, keyValue);
    }

    /**
     * Reads a field of a JSON array of objects.
     *
     * @param file the JSON file
     * @param field the numeric field
     * @param keyField the filter field, or null
     * @param keyValue the value the filter field must have
     * @return the values in file order
     * @throws IOException if the file cannot be read or does not hold the series
     */
    public static float[] json(Path file, String field, String keyField, String keyValue)
            throws IOException {
        JsonElement root = parse(file);
        if (!root.isJsonArray()) {
            throw new MalformedSeriesException(file + ": expected a JSON array of objects");
        }
        return records(file, root.getAsJsonArray(), field, keyField, keyValue);
    }

    private static float[] records(
            Path file, JsonArray records, String field, String keyField, String keyValue)
            throws MalformedSeriesException {
        Values values = new Values(file);
        for (int i = 0; i < records.size(); i++) {
            if (!records.get(i).isJsonObject()) {
                throw new MalformedSeriesException(file + " record " + i + ": not an object");
            }
            JsonObject record = records.get(i).getAsJsonObject();
            if (keyField != null) {
                JsonElement key = record.get(keyField);
                if (key == null || !key.isJsonPrimitive()) {
                    throw new MalformedSeriesException(
                            file + " record " + i + ": no key field '" + keyField + "'");
                }
                if (!key.getAsString().equals(keyValue)) {
                    continue;
                }
            }
            JsonElement value = record.get(field);
            if (value == null || !value.isJsonPrimitive()) {
                throw new MalformedSeriesException(
                        file + " record " + i + ": no field '" + field + "' in " + record.keySet());
            }
            values.add(number(value.getAsString(), file + " record " + i + " " + field));
        }
        return values.toArray(keyField, keyValue);
    }

    /**
     * Reads a series from JSON in any of its accepted forms ({@value #JSON_FORMS}).
     *
     * @param file the JSON file
     * @param field the field that holds the values: required for an array of records, optional for
     *     an object (default {@code values}, then {@code series}), refused for a bare array
     * @return the values in file order
     * @throws MalformedSeriesException if the JSON is malformed, has another form, or a value is
     *     not a finite number (the message lists the accepted forms)
     * @throws IOException if the file cannot be read or is not UTF-8 text
     */
    public static float[] jsonValues(Path file, String field) throws IOException {
        JsonElement root = parse(file);
        if (root.isJsonArray()) {
            JsonArray array = root.getAsJsonArray();
            if (array.size() > 0 && array.get(0).isJsonObject()) {
                if (field == null) {
                    throw new MalformedSeriesException(
                            file + ": an array of records: name the field that holds the values");
                }
                return records(file, array, field, null, null);
            }
            if (field != null) {
                throw new MalformedSeriesException(
                        file + ": an array of numbers has no field '" + field + "'");
            }
            return numbers(file, array, "");
        }
        if (root.isJsonObject()) {
            JsonObject object = root.getAsJsonObject();
            for (String name : field != null ? List.of(field) : List.of("values", "series")) {
                JsonElement values = object.get(name);
                if (values != null && values.isJsonArray()) {
                    return numbers(file, values.getAsJsonArray(), " \"" + name + "\"");
                }
            }
            throw new MalformedSeriesException(
                    file
                            + ": no "
                            + (field != null ? "\"" + field + "\"" : "\"values\" or \"series\"")
                            + " array in the object (it has "
                            + shown(object.keySet())
                            + "); accepted JSON: "
                            + JSON_FORMS);
        }
        throw new MalformedSeriesException(
                file + ": not a series in JSON; accepted JSON: " + JSON_FORMS);
    }

    private static float[] numbers(Path file, JsonArray array, String name)
            throws MalformedSeriesException {
        Values values = new Values(file);
        for (int i = 0; i < array.size(); i++) {
            JsonElement value = array.get(i);
            String where = file + name + " element " + i;
            if (!value.isJsonPrimitive()) {
                throw new MalformedSeriesException(
                        where
                                + ": "
                                + shown(value)
                                + " is not a number; accepted JSON: "
                                + JSON_FORMS);
            }
            values.add(number(value.getAsString(), where));
        }
        return values.toArray(null, null);
    }

    private static JsonElement parse(Path file) throws IOException {
        try {
            return JsonParser.parseString(TextFiles.readUtf8(file, MAX_FILE_BYTES));
        } catch (JsonParseException | StackOverflowError e) {
            throw new MalformedSeriesException(file + ": malformed JSON: " + e.getMessage());
        }
    }

    private static float number(String text, String where) throws MalformedSeriesException {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new MalformedSeriesException(where + ": empty value, expected a number");
        }
        if (NOT_FINITE.matcher(t).matches()) {
            throw new MalformedSeriesException(where + ": value " + t + " is not finite");
        }
        if (!DECIMAL.matcher(t).matches()) {
            throw new MalformedSeriesException(where + ": '" + shown(t) + "' is not a number");
        }
        float v = Float.parseFloat(t);
        if (!Float.isFinite(v)) {
            throw new MalformedSeriesException(
                    where + ": value " + shown(t) + " is not finite in float32");
        }
        return v;
    }

    /** Where the next line starts after a line ending at {@code end}. */
    private static int next(String text, int end) {
        if (end < text.length() && text.charAt(end) == '\r') {
            end++;
        }
        return end < text.length() && text.charAt(end) == '\n' ? end + 1 : end;
    }

    /** The end of the line starting at {@code start} (before its \\n or \\r\\n). */
    private static int lineEnd(String text, int start) {
        int end = start;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        return end;
    }

    /** A cell or list for a message: at most 40 characters, control characters escaped. */
    private static String shown(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 40; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.length() < text.length() ? out + "..." : out.toString();
    }

    /** The values read so far, at most {@link #MAX_VALUES}. */
    private static final class Values {
        private final Path file;
        private float[] values = new float[256];
        private int size;

        Values(Path file) {
            this.file = file;
        }

        void add(float v) throws MalformedSeriesException {
            if (size == MAX_VALUES) {
                throw new MalformedSeriesException(
                        file + ": more than " + MAX_VALUES + " values, the most a series may have");
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.min(2 * size, MAX_VALUES));
            }
            values[size++] = v;
        }

        float[] toArray(String key, String value) throws MalformedSeriesException {
            if (size == 0) {
                throw new MalformedSeriesException(
                        file
                                + ": no values"
                                + (key == null ? "" : " with " + key + " = '" + value + "'"));
            }
            return Arrays.copyOf(values, size);
        }
    }

    /** Splits a CSV line on commas outside double quotes; quotes are removed. */
    static List<String> split(String line) {
        return split(line, Integer.MAX_VALUE);
    }

    /**
     * Splits a CSV line on commas outside double quotes, stopping after {@code limit} cells (the
     * last one then holds no more than its own text: the caller only counts them).
     */
    static List<String> split(String line, int limit) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
                if (cells.size() == limit) {
                    return cells;
                }
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return Arrays.asList(cells.toArray(new String[0]));
    }
}
