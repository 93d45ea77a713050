package io.moezoo.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Saving and loading a block's parameters under mapped file keys. */
class ParameterFileKeysTest {

    private static final UnaryOperator<String> LEGACY = key -> "legacy_" + key;

    private static Linear linear(NDManager m) {
        Linear block = Linear.builder().setUnits(3).build();
        block.initialize(m, DataType.FLOAT32, new Shape(-1, 2));
        return block;
    }

    @Test
    void mappedKeysRoundTripAndOnlyMappedLoadsFind() throws Exception {
        Path dir = Files.createDirectories(Paths.get("target", "parameter-file-keys"));
        Path file = dir.resolve("model.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            Linear saved = linear(m);
            saved.getParameters().get("weight").getArray().set(new float[] {1, 2, 3, 4, 5, 6});
            saved.getParameters().get("bias").getArray().set(new float[] {-1, -2, -3});
            ParameterFile.save(saved, file, TensorDType.F32, LEGACY);
            assertEquals(
                    Set.of("legacy_weight", "legacy_bias"),
                    new TreeSet<>(Checkpoint.open(file).keys()));

            Linear loaded = linear(m);
            ParameterFile.load(loaded, file, LEGACY);
            assertArrayEquals(
                    new float[] {1, 2, 3, 4, 5, 6},
                    loaded.getParameters().get("weight").getArray().toFloatArray());
            assertArrayEquals(
                    new float[] {-1, -2, -3},
                    loaded.getParameters().get("bias").getArray().toFloatArray());

            MalformedCheckpointException unmapped =
                    assertThrows(
                            MalformedCheckpointException.class,
                            () -> ParameterFile.load(linear(m), file));
            assertTrue(unmapped.getMessage().contains("missing parameter"), unmapped.getMessage());
            IllegalArgumentException collision =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ParameterFile.load(linear(m), file, key -> "legacy_weight"));
            assertTrue(collision.getMessage().contains("two parameters"), collision.getMessage());
        }
    }
}
