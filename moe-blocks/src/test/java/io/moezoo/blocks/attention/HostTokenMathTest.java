package io.moezoo.blocks.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The host forms of the single-token decode path against the engine forms of the same blocks:
 * RMSNorm, RoPE (standard, linear, YaRN with interleaved pairs), attention over a host KV store
 * (GQA, sliding window) and the KV cache's conversions between host and array form.
 */
class HostTokenMathTest {

    private static float[] random(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    @Test
    void rmsNormOnTheHostMatchesTheEngine() {
        Random rng = new Random(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            RmsNorm norm = new RmsNorm(8, 1e-5f);
            norm.initialize(manager, DataType.FLOAT32, new Shape(-1, 8));
            norm.getWeight().getArray().set(random(rng, 8));
            ParameterStore ps = new ParameterStore(manager, false);
            // Three segments of the norm's size, as a per-head q/k norm sees them.
            float[] x = random(rng, 24);
            float[] expected =
                    norm.apply(ps, manager.create(x, new Shape(3, 8)), false).toFloatArray();
            assertArrayEquals(expected, norm.applyToken(ps, x), 1e-5f);
            assertThrows(IllegalArgumentException.class, () -> norm.applyToken(ps, new float[7]));
        }
    }

    @Test
    void ropeOnTheHostMatchesTheEngine() {
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
        }
    }

    @Test
    void attentionOverTheHostStoreMatchesTheEngine() {
        Random rng = new Random(3);
        int kvHeads = 2;
        int heads = 4;
        int d = 8;
        int past = 6;
        float scale = (float) (1 / Math.sqrt(d));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray keys =
                    manager.create(random(rng, kvHeads * past * d), new Shape(1, kvHeads, past, d));
            NDArray values =
                    manager.create(random(rng, kvHeads * past * d), new Shape(1, kvHeads, past, d));
            float[] newKey = random(rng, kvHeads * d);
            float[] newValue = random(rng, kvHeads * d);
            float[] query = random(rng, heads * d);
            NDArray allKeys =
                    keys.concat(manager.create(newKey, new Shape(1, kvHeads, 1, d)), 2)
                            .repeat(1, heads / kvHeads);
            NDArray allValues =
                    values.concat(manager.create(newValue, new Shape(1, kvHeads, 1, d)), 2)
                            .repeat(1, heads / kvHeads);
            for (int window : new int[] {0, 3, 7, 100}) {
                HostKeyValues store = HostKeyValues.of(keys, values);
                store.append(newKey, newValue);
                assertEquals(past + 1, store.length());
                float[] expected =
                        AttentionBlock.attend(
                                        manager.create(query, new Shape(1, heads, 1, d)),
                                        allKeys,
                                        allValues,
                                        scale,
                                        past,
                                        window)
                                .toFloatArray();
                assertArrayEquals(
                        expected,
                        store.attend(query, heads, scale, window),
                        1e-5f,
                        "window " + window);
            }
        }
    }

    @Test
    void cacheConvertsBetweenHostAndArrayForm() {
        Random rng = new Random(4);
        try (NDManager manager = NDManager.newBaseManager();
                KvCache cache = new KvCache(manager, 1)) {
            float[] k0 = random(rng, 2 * 3 * 4);
            float[] v0 = random(rng, 2 * 3 * 4);
            cache.append(
                    0,
                    manager.create(k0, new Shape(1, 2, 3, 4)),
                    manager.create(v0, new Shape(1, 2, 3, 4)));
            cache.advance(3);
            // A prefill's arrays become host rows; single-token appends grow them past the
            // initial capacity; a later multi-token append and the export see everything.
            HostKeyValues host = cache.hostLayer(0, 2, 4, 4);
            assertThrows(IllegalArgumentException.class, () -> cache.hostLayer(0, 1, 8, 8));
            float[][] stepKeys = new float[20][];
            for (int s = 0; s < 20; s++) {
                stepKeys[s] = random(rng, 2 * 4);
                host.append(stepKeys[s], random(rng, 2 * 4));
            }
            NDList all =
                    cache.append(
                            0,
                            manager.create(new float[2 * 4], new Shape(1, 2, 1, 4)),
                            manager.create(new float[2 * 4], new Shape(1, 2, 1, 4)));
            NDArray keys = all.get(0);
            assertEquals(new Shape(1, 2, 24, 4), keys.getShape());
            assertArrayEquals(
                    java.util.Arrays.copyOfRange(k0, 4 * 4 * 0, 3 * 4),
                    keys.get("0, 0, 0:3, :").toFloatArray());
            assertArrayEquals(
                    java.util.Arrays.copyOfRange(stepKeys[19], 4, 8),
                    keys.get("0, 1, 22, :").toFloatArray());
            // The arrays append returned belong to the cache until its next change.
            float[] keyValues = keys.toFloatArray();
            cache.hostLayer(0, 2, 4, 4);
            NDList exported = cache.export(manager);
            assertArrayEquals(keyValues, exported.get(0).toFloatArray());
        }
    }
}
