package io.moezoo.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Jupyter notebook file (nbformat 4) as far as the tests read it: code cells and outputs. */
final class Notebook {

    /** A {@code %dependency /add group:artifact[:ext[:classifier]]:version} line. */
    record Dependency(String groupId, String artifactId, String version) {}

    /** A code cell: its position among all cells, source, execution count and outputs. */
    record CodeCell(int index, String source, Integer executionCount, List<JsonObject> outputs) {

        boolean hasOutput(String mimeType) {
            for (JsonObject o : outputs) {
                if (o.has("data") && o.getAsJsonObject("data").has(mimeType)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the cell renders a chart image (the plots API's {@code toImage()}). */
        boolean rendersChart() {
            return source.contains(".toImage()");
        }

        Optional<String> error() {
            for (JsonObject o : outputs) {
                if ("error".equals(o.get("output_type").getAsString())) {
                    StringBuilder text = new StringBuilder();
                    text.append(o.has("ename") ? o.get("ename").getAsString() : "error")
                            .append(": ")
                            .append(o.has("evalue") ? o.get("evalue").getAsString() : "");
                    if (o.has("traceback")) {
                        for (JsonElement line : o.getAsJsonArray("traceback")) {
                            text.append('\n').append(line.getAsString());
                        }
                    }
                    return Optional.of(text.toString());
                }
            }
            return Optional.empty();
        }
    }

    private static final Pattern DEPENDENCY =
            Pattern.compile("^\\s*%dependency\\s+/add\\s+(\\S+)", Pattern.MULTILINE);

    private final Path file;
    private final JsonObject json;

    private Notebook(Path file, JsonObject json) {
        this.file = file;
        this.json = json;
    }

    static Notebook read(Path file) throws IOException {
        JsonElement root = JsonParser.parseString(Files.readString(file));
        if (!root.isJsonObject() || !root.getAsJsonObject().has("cells")) {
            throw new IOException(file + " is not a Jupyter notebook (no cells)");
        }
        return new Notebook(file, root.getAsJsonObject());
    }

    Path file() {
        return file;
    }

    String kernelName() {
        JsonObject metadata = json.getAsJsonObject("metadata");
        if (metadata == null || !metadata.has("kernelspec")) {
            return "";
        }
        return metadata.getAsJsonObject("kernelspec").get("name").getAsString();
    }

    List<CodeCell> codeCells() {
        List<CodeCell> cells = new ArrayList<>();
        JsonArray all = json.getAsJsonArray("cells");
        for (int i = 0; i < all.size(); i++) {
            JsonObject cell = all.get(i).getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            JsonElement count = cell.get("execution_count");
            List<JsonObject> outputs = new ArrayList<>();
            if (cell.has("outputs")) {
                for (JsonElement o : cell.getAsJsonArray("outputs")) {
                    outputs.add(o.getAsJsonObject());
                }
            }
            cells.add(
                    new CodeCell(
                            i,
                            text(cell.get("source")),
                            count == null || count.isJsonNull() ? null : count.getAsInt(),
                            outputs));
        }
        return cells;
    }

    /** The Maven dependencies the notebook adds with the kernel's dependency magic. */
    List<Dependency> dependencies() {
        List<Dependency> out = new ArrayList<>();
        for (CodeCell cell : codeCells()) {
            Matcher m = DEPENDENCY.matcher(cell.source());
            while (m.find()) {
                String[] parts = m.group(1).split(":");
                out.add(new Dependency(parts[0], parts[1], parts[parts.length - 1]));
            }
        }
        return out;
    }

    /** Checks that the notebook ran cleanly; returns the problems found (none: empty). */
    List<String> executionProblems() {
        List<String> problems = new ArrayList<>();
        List<CodeCell> cells = codeCells();
        int outputs = 0;
        for (CodeCell cell : cells) {
            outputs += cell.outputs().size();
            String where = file.getFileName() + " cell " + cell.index();
            cell.error()
                    .ifPresent(
                            e ->
                                    problems.add(
                                            where + " failed:\n" + cell.source() + "\n---\n" + e));
            if (cell.executionCount() == null && !cell.source().isBlank()) {
                problems.add(where + " was not executed");
            }
            if (cell.rendersChart() && !cell.hasOutput("image/png")) {
                problems.add(where + " renders a chart but has no image/png output");
            }
        }
        if (cells.isEmpty()) {
            problems.add(file.getFileName() + " has no code cells");
        } else if (outputs == 0) {
            problems.add(file.getFileName() + " has no outputs");
        }
        return problems;
    }

    private static String text(JsonElement source) {
        if (source == null || source.isJsonNull()) {
            return "";
        }
        if (source.isJsonArray()) {
            StringBuilder s = new StringBuilder();
            for (JsonElement line : source.getAsJsonArray()) {
                s.append(line.getAsString());
            }
            return s.toString();
        }
        return source.getAsString();
    }
}
