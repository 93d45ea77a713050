package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording a trial on a written card: the recipe list changes, no measured number does. */
class RecipeSelectionTest {

    private static final Path ARTIFACT = Paths.get("..", VisionMoeTraining.ARTIFACT_PATH);

    @TempDir Path dir;

    @Test
    void refreshRewritesTheRecipeListAndNothingElse() throws IOException {
        JsonObject shipped = read(ARTIFACT.resolve("card.json"));
        String shippedReadme = Files.readString(ARTIFACT.resolve("README.md"));
        // A card written before the last two trials: their rows are missing.
        JsonObject older = shipped.deepCopy();
        JsonArray tried = older.getAsJsonObject("validation").getAsJsonArray("recipes_tried");
        tried.remove(tried.size() - 1);
        tried.remove(tried.size() - 1);
        older.getAsJsonObject("validation").addProperty("test_set_use", "old text");
        Files.writeString(dir.resolve("card.json"), older.toString());
        String last = RecipeSelection.ROWS[RecipeSelection.ROWS.length - 1][0];
        String olderReadme = shippedReadme.replace("| " + last + " |", "| dropped row |");
        Files.writeString(dir.resolve("README.md"), olderReadme);

        RecipeSelection.refreshSelection(dir);

        JsonObject card = read(dir.resolve("card.json"));
        JsonArray rows = card.getAsJsonObject("validation").getAsJsonArray("recipes_tried");
        assertEquals(RecipeSelection.ROWS.length, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonObject row = rows.get(i).getAsJsonObject();
            assertEquals(RecipeSelection.ROWS[i][0], row.get("recipe").getAsString());
            assertEquals(
                    Double.parseDouble(RecipeSelection.ROWS[i][1]),
                    row.get("validation_accuracy").getAsDouble());
        }
        assertEquals(
                RecipeSelection.TEST_SET_USE,
                card.getAsJsonObject("validation").get("test_set_use").getAsString());
        // Every measured number stays: the rest of the card is the shipped one.
        for (String key : new String[] {"metrics", "tolerance", "confusion_matrix", "baselines"}) {
            assertEquals(shipped.get(key), card.get(key), key);
        }
        assertEquals(
                shipped.getAsJsonObject("validation").get("accuracy"),
                card.getAsJsonObject("validation").get("accuracy"));
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.contains("| " + last + " |"));
        assertTrue(!readme.contains("dropped row"));
        String results = "## Results (official 10,000-image test set)";
        assertEquals(
                shippedReadme.substring(shippedReadme.indexOf(results)),
                readme.substring(readme.indexOf(results)),
                "the results and everything after them are untouched");
        assertEquals(
                shippedReadme.substring(0, shippedReadme.indexOf("Recipe selection")),
                readme.substring(0, readme.indexOf("Recipe selection")));
    }

    @Test
    void aReadmeWithoutTheSectionIsRefused() throws IOException {
        Files.copy(ARTIFACT.resolve("card.json"), dir.resolve("card.json"));
        Files.writeString(dir.resolve("README.md"), "# a card\n", StandardCharsets.UTF_8);
        IOException e =
                assertThrows(IOException.class, () -> RecipeSelection.refreshSelection(dir));
        assertTrue(e.getMessage().contains("recipe-selection"), e.getMessage());
    }

    private static JsonObject read(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }
}
