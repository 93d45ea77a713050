package io.moezoo.zoo.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing a shipped artifact's files again reproduces its {@code metadata.json} (the oracle is
 * the checked-in file, written by the earlier hand-built JSON writer), keeping the name and
 * description of the metadata it replaces when the card has none; a card without factories is
 * refused.
 */
class ArtifactPublisherTest {

    private static final Path SOURCES =
            Paths.get("..", "zoo-weights", "src", "main", "resources", ZooRepository.EMBEDDED_ROOT);

    @TempDir Path tmp;

    @Test
    void republishingAShippedArtifactReproducesItsMetadata() throws IOException {
        for (String[] model :
                new String[][] {
                    {"brown-moe", "nlp/text_generation", "0.2.0"},
                    {"vit-moe-fashion-mnist", "cv/image_classification", "0.1.0"}
                }) {
            Application application = Application.of(model[1]);
            String dir = ZooRepository.metadataDirectory(application, "io.moezoo", model[0]);
            Path source = SOURCES.resolve(dir);
            Path target = Files.createDirectories(tmp.resolve(model[0]).resolve(dir + model[2]));
            try (Stream<Path> files = Files.list(source.resolve(model[2]))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
            // The metadata being replaced, its file list emptied: only its name and description
            // may carry over (the vision card has neither).
            JsonObject previous = read(source.resolve("metadata.json"));
            previous.getAsJsonArray("artifacts")
                    .get(0)
                    .getAsJsonObject()
                    .add("files", new JsonObject());
            Files.writeString(target.getParent().resolve("metadata.json"), previous.toString());
            Path written =
                    ArtifactPublisher.publish(
                            tmp.resolve(model[0]), application, "io.moezoo", model[0], model[2]);
            JsonObject expected = read(source.resolve("metadata.json"));
            JsonObject actual = read(written);
            // The license map is keyed by DJL's license id now ("apache"); metadata shipped
            // before that keys it "license".
            JsonObject shipped = expected.getAsJsonObject("licenses");
            assertEquals(
                    shipped.has("license") ? shipped.get("license") : shipped.get("apache"),
                    actual.getAsJsonObject("licenses").get("apache"));
            expected.remove("licenses");
            actual.remove("licenses");
            assertEquals(expected, actual, model[0]);
        }
    }

    @Test
    void aCardWithoutFactoriesIsRefused() throws IOException {
        Application application = Application.NLP.TEXT_GENERATION;
        Path dir =
                Files.createDirectories(
                        tmp.resolve(ZooRepository.metadataDirectory(application, "io.moezoo", "x"))
                                .resolve("1.0"));
        Files.writeString(dir.resolve("card.json"), "{\"arguments\": {\"blockFactory\": \"a.B\"}}");
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> ArtifactPublisher.publish(tmp, application, "io.moezoo", "x", "1.0"));
        assertTrue(e.getMessage().contains("must name blockFactory and translatorFactory"));
    }

    /** JSON with numbers compared as values (Gson's JsonPrimitive equality). */
    private static JsonObject read(Path file) throws IOException {
        JsonElement json = JsonParser.parseString(Files.readString(file));
        return json.getAsJsonObject();
    }
}
