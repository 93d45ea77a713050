package io.moezoo.zoo.timeseries;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one numeric series from a CSV file (header row, comma separated, optional double quotes) or
 * from a JSON array of objects, optionally keeping only the rows whose key field has a given value
 * (e.g. {@code symbol = AAPL}). Values are taken in file order, which for the vega-datasets files
 * used here is chronological. Every failure names the file, the line or record and the problem.
 */
public final class SeriesFiles {

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
     *     row matches, or the file is not valid CSV/JSON
     * @throws IOException if the file cannot be read
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
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new MalformedSeriesException(file + ": empty file, expected a header row");
        }
        List<String> header = split(lines.get(0));
        int valueIndex = header.indexOf(column);
        if (valueIndex < 0) {
            throw new MalformedSeriesException(
                    file + ": no column '" + column + "'; columns are " + header);
        }
        int keyIndex = keyColumn == null ? -1 : header.indexOf(keyColumn);
        if (keyColumn != null && keyIndex < 0) {
            throw new MalformedSeriesException(
                    file + ": no key column '" + keyColumn + "'; columns are " + header);
        }
        List<Float> values = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> cells = split(lines.get(i));
            if (cells.size() != header.size()) {
                throw new MalformedSeriesException(
                        file
                                + " line "
                                + (i + 1)
                                + ": "
                                + cells.size()
                                + " cells, the header has "
                                + header.size());
            }
            if (keyIndex >= 0 && !cells.get(keyIndex).equals(keyValue)) {
                continue;
            }
            values.add(number(cells.get(valueIndex), file + " line " + (i + 1) + " " + column));
        }
        return toArray(values, file, keyColumn, keyValue);
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
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new MalformedSeriesException(file + ": malformed JSON: " + e.getMessage());
        }
        if (!root.isJsonArray()) {
            throw new MalformedSeriesException(file + ": expected a JSON array of objects");
        }
        JsonArray records = root.getAsJsonArray();
        List<Float> values = new ArrayList<>();
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
        return toArray(values, file, keyField, keyValue);
    }

    private static float number(String text, String where) throws MalformedSeriesException {
        float v;
        try {
            v = Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw new MalformedSeriesException(where + ": '" + text + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw new MalformedSeriesException(where + ": value " + text + " is not finite");
        }
        return v;
    }

    private static float[] toArray(List<Float> values, Path file, String key, String value)
            throws MalformedSeriesException {
        if (values.isEmpty()) {
            throw new MalformedSeriesException(
                    file
                            + ": no values"
                            + (key == null ? "" : " with " + key + " = '" + value + "'"));
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** Splits a CSV line on commas outside double quotes; quotes are removed. */
    static List<String> split(String line) {
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
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return Arrays.asList(cells.toArray(new String[0]));
    }
}
