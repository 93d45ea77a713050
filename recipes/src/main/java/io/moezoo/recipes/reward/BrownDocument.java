package io.moezoo.recipes.reward;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.translators.reward.RewardTextEncoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One Brown-corpus file, its text whitespace-normalised ({@link RewardTextEncoding#normalize}).
 *
 * @param file the file name, e.g. {@code ca01}
 * @param genre the Brown genre, e.g. {@code news}
 * @param index the position of the file in name order (0-based)
 * @param text the normalised text
 */
public record BrownDocument(String file, String genre, int index, String text) {

    /**
     * Returns whether this file is held out: every 10th file in name order (index ≡ 9 mod 10), the
     * split the zoo's Brown language models use.
     *
     * @return true for evaluation files
     */
    public boolean heldOut() {
        return index % 10 == 9;
    }

    /**
     * Returns the genre category of this file.
     *
     * @return the category
     */
    public GenreCategory category() {
        return GenreCategory.of(genre);
    }

    /**
     * Reads the corpus exported as JSON lines {@code {file, genre, text}}, sorted by file name.
     *
     * @param jsonl the file ({@code DataSets.brownJsonl()})
     * @return the documents in name order
     * @throws IOException if the file cannot be read, is empty or a line is malformed
     */
    public static List<BrownDocument> load(Path jsonl) throws IOException {
        List<JsonObject> rows = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonObject row = JsonParser.parseString(line).getAsJsonObject();
                if (!row.has("file") || !row.has("genre") || !row.has("text")) {
                    throw new IOException(jsonl + ": a line lacks file, genre or text: " + line);
                }
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(jsonl + " holds no documents");
        }
        rows.sort(Comparator.comparing(r -> r.get("file").getAsString()));
        List<BrownDocument> docs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonObject r = rows.get(i);
            docs.add(
                    new BrownDocument(
                            r.get("file").getAsString(),
                            r.get("genre").getAsString(),
                            i,
                            RewardTextEncoding.normalize(r.get("text").getAsString())));
        }
        return docs;
    }
}
