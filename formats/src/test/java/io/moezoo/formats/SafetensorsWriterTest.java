package io.moezoo.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The writer's files read back through the validating reader. */
class SafetensorsWriterTest {

    @Test
    void writesF32ExactlyAndF16RoundedToNearestEven() throws Exception {
        Path dir = Files.createDirectories(Paths.get("target", "writer-tests"));
        float[] values = {1f, -2.5f, 0.1f, 65504f, 1e-8f, 3.14159f, 1.00048828125f, 70000f};
        try (NDManager m = NDManager.newBaseManager()) {
            new SafetensorsWriter(TensorDType.F32)
                    .add("a", m.create(values, new Shape(2, 4)))
                    .add("b", m.create(new float[] {7f}))
                    .write(dir.resolve("f32.safetensors"));
            Checkpoint f32 = Checkpoint.open(dir.resolve("f32.safetensors"));
            assertArrayEquals(values, f32.load(m, "a").toFloatArray());
            assertEquals(new Shape(2, 4), f32.shape("a"));
            new SafetensorsWriter(TensorDType.F16)
                    .add("a", m.create(values, new Shape(2, 4)))
                    .write(dir.resolve("f16.safetensors"));
            float[] half =
                    Checkpoint.open(dir.resolve("f16.safetensors")).load(m, "a").toFloatArray();
            // 0.1 -> 0.0999755859375; 1e-8 underflows to 0; 3.14159 -> 3.140625; 1.00048828125 is a
            // tie between 1.0 and 1.0009765625 and rounds to the even 1.0; 70000 overflows to inf.
            assertArrayEquals(
                    new float[] {
                        1f,
                        -2.5f,
                        0.0999755859375f,
                        65504f,
                        0f,
                        3.140625f,
                        1f,
                        Float.POSITIVE_INFINITY
                    },
                    half);
            for (int bits = 0; bits < 0x7C00; bits += 7) {
                float v = Half.f16((short) bits);
                assertEquals(bits, Half.toF16(v) & 0xFFFF, "round trip of half " + bits);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsWriter(TensorDType.BF16));
    }
}
