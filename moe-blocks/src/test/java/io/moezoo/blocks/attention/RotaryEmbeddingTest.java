package io.moezoo.blocks.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RoPE on a host vector ({@link RotaryEmbedding#rotateToken}, used by the MoeJava engine) against
 * the array form of the same embedding: standard, linear and YaRN with interleaved pairs.
 */
class RotaryEmbeddingTest {

    private static float[] random(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    @Test
    void ropeOnTheHostMatchesTheArrayForm() {
        Random rng = new Random(2);
        RotaryEmbedding[] embeddings = {
            RotaryEmbedding.standard(8, 10000, 1),
            RotaryEmbedding.standard(8, 1e6, 4),
            RotaryEmbedding.yarn(8, 10000, 40, 4096, 32, 1, 0.707, 0.707, true)
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            for (RotaryEmbedding rope : embeddings) {
                for (long position : new long[] {0, 5, 3000}) {
                    float[] x = random(rng, 3 * 8);
                    // [B=1, heads=3, S=1, d=8] at one position.
                    NDArray heads = manager.create(x, new Shape(1, 3, 1, 8));
                    float[] expected =
                            rope.apply(heads, rope.tables(manager, position, 1)).toFloatArray();
                    assertArrayEquals(expected, rope.rotateToken(x, position), 1e-5f);
                }
            }
            assertThrows(
                    IllegalArgumentException.class,
                    () -> embeddings[0].rotateToken(new float[7], 0));
        }
    }
}
