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
        // The shipped files read as the spec the recipe builds.
        for (DecoderSpec spec :
                new DecoderSpec[] {
                    BrownLanguageModels.moeSpec(), BrownLanguageModels.denseSpec()
                }) {
            Path shipped =
                    Paths.get(
                            "../zoo-weights/src/main/resources/io/moezoo/zoo/repository/model/nlp/text_generation/io/moezoo",
                            BrownLanguageModels.id(spec),
                            BrownArtifacts.VERSION,
                            "model.json");
            assertEquals(spec, DecoderSpec.fromJson(Files.readString(shipped)));
            assertEquals(spec, DecoderSpec.fromJson(spec.toJson()));
        }
    }

    /**
     * A model.json written by version 0.1 (the 0.1.0 brown-moe artifact: artifact name as model
     * type, the attention tag as "kind", routers as one object of every option, upper-case router
     * type) still reads, as the spec it described.
     */
    @Test
    void version01ModelJsonStillReads() throws Exception {
        String legacy;
        try (var in = getClass().getResourceAsStream("brown-moe-0.1.0-model.json")) {
            legacy = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        DecoderSpec spec = DecoderSpec.fromJson(legacy);
        assertEquals(50257, spec.vocabSize());
        assertEquals(96, spec.hiddenSize());
        assertEquals(4, spec.numLayers());
        assertEquals(DecoderSpec.DEFAULT_MAX_POSITION_EMBEDDINGS, spec.maxPositionEmbeddings());
        assertEquals(8, spec.ffn().get(0).router().numExperts());
        assertEquals(2, spec.ffn().get(0).router().topK());
        assertEquals(spec, DecoderSpec.fromJson(spec.toJson()));
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
