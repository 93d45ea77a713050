package io.moezoo.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.zoo.repository.ZooRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog is what the repository's {@code metadata.json} files say: the same models with the
 * same application, name and description, read from a directory or a jar; a model added to the
 * repository joins it; metadata naming code no family registers, or lying outside its place, is
 * refused.
 */
class ZooCatalogTest {

    private static final Path SOURCES =
            Paths.get("..", "zoo-weights", "src", "main", "resources", ZooRepository.EMBEDDED_ROOT);

    /** The family of each shipped model, by hand (the oracle the catalog must agree with). */
    private static final Map<String, String> FAMILIES =
            Map.of(
                    "brown-moe", "language",
                    "brown-dense", "language",
                    "vit-moe-fashion-mnist", "vision",
                    "time-moe-vega", "time-series",
                    "dmoerm-brown", "reward",
                    "armorm-brown", "reward");

    @TempDir Path tmp;

    @Test
    void theCatalogIsWhatTheEmbeddedMetadataSays() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                if (file.getFileName().toString().equals("metadata.json")) {
                    JsonObject m = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
                    String id = m.get("artifactId").getAsString();
                    expected.put(
                            id,
                            String.join(
                                    " | ",
                                    m.get("application").getAsString(),
                                    FAMILIES.get(id),
                                    m.get("name").getAsString(),
                                    m.get("description").getAsString()));
                }
            }
        }
        assertEquals(FAMILIES.keySet(), expected.keySet(), "the shipped models");
        assertEquals(expected, describe(ZooCatalog.entries()));
        assertEquals(ZooCatalog.entries(), ZooCatalog.read(ZooRepository.embedded()));
    }

    @Test
    void aJarRepositoryListsTheSameModels() throws IOException {
        Path jar = tmp.resolve("zoo.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                if (file.getFileName().toString().equals("metadata.json")) {
                    String name = SOURCES.relativize(file).toString().replace('\\', '/');
                    out.putNextEntry(new JarEntry("repo/" + name));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
        }
        ZooRepository repository = ZooRepository.of("jar:" + jar.toUri() + "!/repo/");
        assertEquals(describe(ZooCatalog.entries()), describe(ZooCatalog.read(repository)));
    }

    @Test
    void aModelAddedToTheRepositoryJoinsTheCatalog() throws IOException {
        Path root = copyOf("brown-moe", "brown-moe-copy", m -> {});
        List<ZooCatalog.Entry> entries = ZooCatalog.read(ZooRepository.of(root.toUri().toString()));
        assertEquals(1, entries.size());
        ZooCatalog.Entry entry = entries.get(0);
        assertEquals("brown-moe-copy", entry.artifactId());
        assertEquals("language", entry.family());
        assertEquals("nlp/text_generation", entry.application().getPath());
        assertEquals(ZooCatalog.entry("brown-moe").code(), entry.code());
    }

    @Test
    void metadataNamingCodeNoFamilyRegistersIsRefused() throws IOException {
        Path root =
                copyOf(
                        "brown-moe",
                        "evil",
                        m ->
                                m.getAsJsonArray("artifacts")
                                        .get(0)
                                        .getAsJsonObject()
                                        .getAsJsonObject("arguments")
                                        .addProperty("blockFactory", "evil.Evil"));
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> ZooCatalog.read(ZooRepository.of(root.toUri().toString())));
        assertTrue(e.getMessage().contains("no family of the zoo runs evil.Evil"), e.getMessage());
    }

    @Test
    void metadataLyingAboutItsPlaceIsRefused() throws IOException {
        Path root =
                copyOf(
                        "brown-moe",
                        "elsewhere",
                        m -> m.addProperty("application", "cv/image_classification"));
        Exception e =
                assertThrows(
                        Exception.class,
                        () -> ZooCatalog.read(ZooRepository.of(root.toUri().toString())));
        assertTrue(
                e.getMessage().contains("place it at model/cv/image_classification"), e.toString());
    }

    @Test
    void anHttpRepositoryCannotBeListed() {
        assertEquals(List.of(), ZooRepository.of("http://127.0.0.1:9/").getResources());
    }

    /** A repository holding one model: a shipped model's metadata under another id, edited. */
    private Path copyOf(
            String artifactId, String newId, java.util.function.Consumer<JsonObject> edit)
            throws IOException {
        String dir = ZooCatalog.entry(artifactId).application().getPath() + "/io/moezoo/";
        JsonObject metadata =
                JsonParser.parseString(
                                Files.readString(
                                        SOURCES.resolve("model/" + dir + artifactId)
                                                .resolve("metadata.json")))
                        .getAsJsonObject();
        metadata.addProperty("artifactId", newId);
        edit.accept(metadata);
        Path root = tmp.resolve("repo");
        Path target = Files.createDirectories(root.resolve("model/" + dir + newId));
        try (OutputStream out = Files.newOutputStream(target.resolve("metadata.json"))) {
            out.write(metadata.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return root;
    }

    private static Map<String, String> describe(List<ZooCatalog.Entry> entries) {
        Map<String, String> described = new TreeMap<>();
        for (ZooCatalog.Entry e : entries) {
            described.put(
                    e.artifactId(),
                    String.join(
                            " | ",
                            e.application().getPath(),
                            e.family(),
                            e.name(),
                            e.description()));
        }
        return described;
    }
}
