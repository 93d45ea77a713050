package io.moezoo.zoo;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.nn.BlockFactory;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.zoo.repository.ZooRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A zoo artifact whose {@code model.json} describes a far larger model than its weight file holds
 * is refused while the block is initialised, at the first parameter past the file's size, before
 * that parameter is allocated (each case below would need tens of gigabytes).
 */
class OversizedSpecTest {

    private static final Path REPOSITORY =
            Paths.get("..", "zoo-weights", "src", "main", "resources", ZooRepository.EMBEDDED_ROOT);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "vit-moe-fashion-mnist",
                        (Consumer<JsonObject>)
                                j -> {
                                    j.addProperty("hiddenSize", 65536);
                                    j.getAsJsonObject("experts").addProperty("hiddenSize", 65536);
                                }),
                Arguments.of(
                        "time-moe-vega",
                        (Consumer<JsonObject>) j -> j.addProperty("intermediateSize", 1 << 28)),
                Arguments.of(
                        "dmoerm-brown",
                        (Consumer<JsonObject>) j -> j.addProperty("expertWidth", 1 << 24)),
                Arguments.of(
                        "armorm-brown",
                        (Consumer<JsonObject>) j -> j.addProperty("gatingHidden", 1 << 24)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aSpecLargerThanItsWeightsIsRefusedBeforeAllocating(
            String artifactId, Consumer<JsonObject> enlarge, @TempDir Path tmp) throws Exception {
        ZooCatalog.Entry entry = ZooCatalog.entry(artifactId);
        Path metadataDir =
                REPOSITORY.resolve(
                        ZooRepository.metadataDirectory(
                                entry.application(), MoeModelZoo.GROUP_ID, artifactId));
        String version =
                JsonParser.parseString(Files.readString(metadataDir.resolve("metadata.json")))
                        .getAsJsonObject()
                        .getAsJsonArray("artifacts")
                        .get(0)
                        .getAsJsonObject()
                        .get("version")
                        .getAsString();
        Path source = metadataDir.resolve(version);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, tmp.resolve(f.getFileName()));
            }
        }
        JsonObject spec =
                JsonParser.parseString(Files.readString(tmp.resolve("model.json")))
                        .getAsJsonObject();
        enlarge.accept(spec);
        Files.writeString(tmp.resolve("model.json"), spec.toString());
        BlockFactory factory = entry.code().newBlockFactory();
        try (Model model = Model.newInstance(artifactId, "PyTorch")) {
            IOException e =
                    assertThrows(IOException.class, () -> factory.newBlock(model, tmp, Map.of()));
            assertTrue(
                    e.getMessage().contains("refused before allocating"),
                    artifactId + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        }
    }
}
