package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.moezoo.models.vision.VisionMoeBlockFactory;
import io.moezoo.models.vision.VisionMoeTransformer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block factory validates model.json and model.safetensors before using them. */
class VisionBlockFactoryTest {

    @TempDir Path dir;

    private void copyArtifact() throws IOException {
        for (String f : new String[] {"model.json", "model.safetensors", "synset.txt"}) {
            Files.copy(
                    VisionArtifactTest.ARTIFACT.resolve(f),
                    dir.resolve(f),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private String loadError() {
        try (NDManager m = NDManager.newBaseManager()) {
            return assertThrows(IOException.class, () -> VisionMoeBlockFactory.load(dir, m))
                    .getMessage();
        }
    }

    @Test
    void loadsTheShippedArtifact() throws IOException {
        copyArtifact();
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeTransformer block = VisionMoeBlockFactory.load(dir, m);
            assertEquals(VisionMoeTraining.moeSpec().toJson(), block.getSpec().toJson());
        }
    }

    @Test
    void rejectsSpecsThatDoNotMatchTheWeights() throws IOException {
        copyArtifact();
        String json = Files.readString(dir.resolve("model.json"));
        // A 5-block model needs more values than the file holds: refused while initialising.
        Files.writeString(
                dir.resolve("model.json"), json.replace("\"numLayers\": 2", "\"numLayers\": 5"));
        String e = loadError();
        assertTrue(e.contains("refused before allocating"), e);
        // Narrower dense MLPs: same keys, different shapes, within the file's size.
        Files.writeString(
                dir.resolve("model.json"), json.replace("\"mlpSize\": 128", "\"mlpSize\": 120"));
        e = loadError();
        assertTrue(e.contains("has shape") && e.contains("expected"), e);
        // A narrower last stem stage: the stem's and patch embedding's shapes no longer match.
        Files.writeString(
                dir.resolve("model.json"),
                json.replaceFirst("(\"stemChannels\": \\[\\s*32,\\s*64,\\s*)128", "$196"));
        e = loadError();
        assertTrue(e.contains("has shape") && e.contains("expected"), e);
    }

    @Test
    void rejectsMalformedOrMissingFiles() throws IOException {
        copyArtifact();
        Files.writeString(dir.resolve("model.json"), "{\"format\": \"moezoo-vision-moe/1\"}");
        String e = loadError();
        assertTrue(e.contains("model.json") && e.contains("is missing"), e);
        Files.write(dir.resolve("model.json"), new byte[2 << 20]);
        e = loadError();
        assertTrue(e.contains("larger than"), e);
        Files.copy(
                VisionArtifactTest.ARTIFACT.resolve("model.json"),
                dir.resolve("model.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.write(
                dir.resolve("model.safetensors"),
                "not a safetensors file".getBytes(StandardCharsets.UTF_8));
        e = loadError();
        assertTrue(e.contains("model.safetensors"), e);
        Files.delete(dir.resolve("model.safetensors"));
        e = loadError();
        assertTrue(e.contains("model.safetensors") && e.contains("not found"), e);
    }
}
