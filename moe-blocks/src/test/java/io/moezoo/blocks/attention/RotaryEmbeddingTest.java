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

    /** HF {@code _compute_yarn_parameters} in double precision: inverse frequencies. */
    private static double[] referenceYarn(
            int d, double base, double f, double l0, double fast, double slow, boolean truncate) {
        double low = d * Math.log(l0 / (2 * Math.PI * fast)) / (2 * Math.log(base));
        double high = d * Math.log(l0 / (2 * Math.PI * slow)) / (2 * Math.log(base));
        if (truncate) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, d - 1);
        double[] inv = new double[d / 2];
        for (int i = 0; i < d / 2; i++) {
            double pos = Math.pow(base, 2.0 * i / d);
            double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
            inv[i] = (1 / pos) * (1 - ramp) + (1 / (f * pos)) * ramp;
        }
        return inv;
    }

    @Test
    void gptOssYarnWithoutTruncationMatchesTheReferenceFormula() {
        // gpt-oss: d 64, base 150000, factor 32, L0 4096, beta_fast 32, beta_slow 1.
        double low = 64 * Math.log(4096 / (2 * Math.PI * 32)) / (2 * Math.log(150000));
        double high = 64 * Math.log(4096 / (2 * Math.PI * 1)) / (2 * Math.log(150000));
        org.junit.jupiter.api.Assertions.assertEquals(8.0928, low, 1e-4);
        org.junit.jupiter.api.Assertions.assertEquals(17.3980, high, 1e-4);
        RotaryEmbedding rope = YarnScaling.gptOss().rope(64, 150000);
        org.junit.jupiter.api.Assertions.assertEquals(
                0.1 * Math.log(32) + 1, rope.attentionFactor(), 1e-6);
        org.junit.jupiter.api.Assertions.assertEquals(1.346574, rope.attentionFactor(), 1e-6);
        double[] expected = referenceYarn(64, 150000, 32, 4096, 32, 1, false);
        float[] actual = rope.inverseFrequencies();
        for (int i = 0; i < 32; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(
                    expected[i], actual[i], 2e-6 * expected[i], "inv_freq " + i);
        }
        // i = 8 is inside the ramp only without truncation (low 8.09 > 8): original frequency.
        org.junit.jupiter.api.Assertions.assertEquals(
                Math.pow(150000, -16.0 / 64), actual[8], 2e-6 * actual[8]);
        // i = 9: ramp (9 - 8.0928) / (17.3980 - 8.0928) ≈ 0.0975.
        double ramp9 = (9 - low) / (high - low);
        double pos9 = Math.pow(150000, 18.0 / 64);
        org.junit.jupiter.api.Assertions.assertEquals(
                (1 - ramp9) / pos9 + ramp9 / (32 * pos9), actual[9], 2e-6 * actual[9]);
        // cos and sin carry the attention factor: cos(p·θ)·mscale, sin(p·θ)·mscale.
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.ndarray.NDList tables = rope.tables(manager, 100, 1);
            float[] cos = tables.get(0).toFloatArray();
            float[] sin = tables.get(1).toFloatArray();
            for (int i = 0; i < 32; i++) {
                double angle = 100 * expected[i];
                org.junit.jupiter.api.Assertions.assertEquals(
                        Math.cos(angle) * 1.346574, cos[i], 1e-4);
                org.junit.jupiter.api.Assertions.assertEquals(
                        Math.cos(angle) * 1.346574, cos[32 + i], 1e-4);
                org.junit.jupiter.api.Assertions.assertEquals(
                        Math.sin(angle) * 1.346574, sin[i], 1e-4);
            }
        }
    }

    @Test
    void truncatedYarnRoundsTheCorrectionRangeAsDeepSeeksDoes() {
        YarnScaling truncated = new YarnScaling(32, 4096, 32, 1, true, 0);
        float[] actual = truncated.rope(64, 150000).inverseFrequencies();
        double[] expected = referenceYarn(64, 150000, 32, 4096, 32, 1, true);
        // DeepSeek's form with mscale 1, mscale_all_dim 0 is the same rounded blend.
        float[] deepSeek =
                RotaryEmbedding.yarn(64, 150000, 32, 4096, 32, 1, 1, 0, false).inverseFrequencies();
        for (int i = 0; i < 32; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(
                    expected[i], actual[i], 2e-6 * expected[i], "inv_freq " + i);
        }
        assertArrayEquals(deepSeek, actual, 0f);
        float[] untruncated = YarnScaling.gptOss().rope(64, 150000).inverseFrequencies();
        org.junit.jupiter.api.Assertions.assertNotEquals(untruncated[9], actual[9]);
    }
}
