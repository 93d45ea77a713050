package io.moezoo.recipes.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.hf.HfConfigMapper;
import io.moezoo.models.language.DecoderSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code model.json}: the decoder spec's JSON form round-trips for every architecture we map. */
class DecoderSpecJsonTest {

    @Test
    void everyFixtureArchitectureRoundTrips() throws Exception {
        try (Stream<Path> dirs =
                Files.list(Paths.get("..", "hf", "src", "test", "resources", "fixtures"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                DecoderSpec spec = HfConfigMapper.read(dir.resolve("config.json"));
                String json = spec.toJson();
                DecoderSpec back = DecoderSpec.fromJson(json);
                assertEquals(json, back.toJson(), dir.toString());
                assertEquals(spec.numLayers(), back.numLayers());
            }
        }
    }

    @Test
    void brownSpecsRoundTripAndMatchTheShippedModelJson() throws Exception {
        // The shipped files were written by version 0.1 (artifact name as model type, the
        // attention tag as "kind", routers as one object of every option); they read as the
        // spec the recipe builds.
        for (DecoderSpec spec :
                new DecoderSpec[] {
                    BrownLanguageModels.moeSpec(), BrownLanguageModels.denseSpec()
                }) {
            Path shipped =
                    Paths.get(
                            "../zoo-weights/src/main/resources/io/moezoo/zoo/repository/model/nlp/text_generation/io/moezoo",
                            BrownLanguageModels.id(spec),
                            "0.1.0",
                            "model.json");
            assertEquals(spec, DecoderSpec.fromJson(Files.readString(shipped)));
            assertEquals(spec, DecoderSpec.fromJson(spec.toJson()));
        }
    }

    @Test
    void malformedSpecsNameTheProblem() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DecoderSpec.fromJson("{}"));
        assertTrue(e.getMessage().contains("lacks \"attention\""), e.getMessage());
        String brown = BrownLanguageModels.moeSpec().toJson();
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DecoderSpec.fromJson(brown.replace("\"gqa\"", "\"ssm\"")));
        assertTrue(e.getMessage().contains("Unknown attention type \"ssm\""), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> MoeLayerSpec.fromJson("{\"router\": {\"type\": \"SWITCH\"}}"));
        assertTrue(e.getMessage().contains("\"router\" and \"experts\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DecoderSpec.fromJson("[1, 2"));
        assertTrue(e.getMessage().startsWith("Malformed decoder spec JSON"), e.getMessage());
    }
}
