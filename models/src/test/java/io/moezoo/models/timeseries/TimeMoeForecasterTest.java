package io.moezoo.models.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.spec.SharedExpertSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Block-level behaviour of the forecaster: causality, embedding, heads, spec. */
class TimeMoeForecasterTest {

    private static TimeMoeSpec small() {
        return new TimeMoeSpec(
                1, 16, 16, 2, 2, 4, 2, new int[] {1, 4, 8}, 32, 10000.0, 1e-6f, 0.02f, 2f, false);
    }

    private static TimeMoeForecaster build(NDManager manager) {
        Engine.getInstance().setRandomSeed(7);
        TimeMoeForecaster block = new TimeMoeForecaster(small());
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        return block;
    }

    @Test
    void outputAtTDoesNotDependOnLaterInputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TimeMoeForecaster block = build(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            Random rng = new Random(1);
            float[] a = new float[20];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextGaussian();
            }
            int t = 11;
            float[] b = a.clone();
            for (int i = t + 1; i < b.length; i++) {
                b[i] = (float) (5 * rng.nextGaussian());
            }
            NDList outA = block.forecastHeads(ps, manager.create(a, new Shape(1, 20)), false, null);
            NDList outB = block.forecastHeads(ps, manager.create(b, new Shape(1, 20)), false, null);
            for (int h = 0; h < outA.size(); h++) {
                NDIndex upToT = new NDIndex("0, :{}, :", t + 1);
                assertArrayEquals(
                        outA.get(h).get(upToT).toFloatArray(),
                        outB.get(h).get(upToT).toFloatArray(),
                        1e-5f,
                        "head " + outA.get(h).getName() + " at positions <= t");
                // and the later positions do change (the test could otherwise pass vacuously)
                NDIndex afterT = new NDIndex("0, {}:, :", t + 1);
                assertFalse(
                        java.util.Arrays.equals(
                                outA.get(h).get(afterT).toFloatArray(),
                                outB.get(h).get(afterT).toFloatArray()));
            }
            // a prefix alone gives the same outputs as the full sequence at those positions
            float[] prefix = java.util.Arrays.copyOf(a, t + 1);
            NDList outP =
                    block.forecastHeads(
                            ps, manager.create(prefix, new Shape(1, t + 1)), false, null);
            assertArrayEquals(
                    outA.get(2).get(new NDIndex("0, :{}, :", t + 1)).toFloatArray(),
                    outP.get(2).get(new NDIndex("0, :, :")).toFloatArray(),
                    1e-5f);
        }
    }

    @Test
    void headsAreNamedAndShaped() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TimeMoeForecaster block = build(manager);
            NDList out =
                    block.forward(
                            new ParameterStore(manager, false),
                            new NDList(manager.randomNormal(new Shape(3, 10))),
                            false);
            assertEquals(3, out.size());
            assertEquals("horizon_1", out.get(0).getName());
            assertEquals(new Shape(3, 10, 1), out.get(0).getShape());
            assertEquals("horizon_8", out.get(2).getName());
            assertEquals(new Shape(3, 10, 8), out.get(2).getShape());
            NDList train =
                    block.forward(
                            new ParameterStore(manager, false),
                            new NDList(manager.randomNormal(new Shape(3, 10))),
                            true);
            assertTrue(train.contains(MoeLoss.AUX_LOSS));
            // uniform routing gives k = 2; any routing gives at least ~1 (f sums to k)
            float aux = train.get(MoeLoss.AUX_LOSS).getFloat() / 0.02f;
            assertTrue(aux > 0.9f && aux < 8.1f, "load-balancing loss " + aux);
        }
    }

    @Test
    void rejectsBadInputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TimeMoeForecaster block = build(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            IllegalArgumentException tooLong =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    block.forecastHeads(
                                            ps, manager.zeros(new Shape(1, 33)), false, null));
            assertTrue(tooLong.getMessage().contains("context length 32"), tooLong.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> block.forecastHeads(ps, manager.zeros(new Shape(1, 4, 2)), false, null));
        }
    }

    @Test
    void pointEmbeddingMatchesHandComputation() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PointEmbedding embedding = new PointEmbedding(3);
            embedding.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            embedding
                    .getEmbedding()
                    .getArray()
                    .set(
                            new NDIndex(":"),
                            manager.create(new float[] {1f, -2f, 0.5f}, new Shape(3, 1)));
            embedding
                    .getGate()
                    .getArray()
                    .set(
                            new NDIndex(":"),
                            manager.create(new float[] {0.3f, 1f, -1f}, new Shape(3, 1)));
            float x = 1.5f;
            NDArray out =
                    embedding.apply(
                            new ParameterStore(manager, false),
                            manager.create(new float[] {x}, new Shape(1, 1)),
                            false);
            float[] we = {1f, -2f, 0.5f};
            float[] wg = {0.3f, 1f, -1f};
            float[] expected = new float[3];
            for (int i = 0; i < 3; i++) {
                double g = wg[i] * x;
                expected[i] = (float) (g / (1 + Math.exp(-g)) * we[i] * x);
            }
            assertEquals(new Shape(1, 1, 3), out.getShape());
            assertArrayEquals(expected, out.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void specFollowsTimeMoeAndRoundTripsAsJson() {
        TimeMoeSpec spec = small();
        assertEquals(spec, TimeMoeSpec.fromJson(spec.toJson()));
        assertFalse(spec.ffn().router().normalizeTopK(), "Time-MoE never renormalises top-k");
        assertEquals(2, spec.ffn().router().topK());
        assertEquals(8, spec.ffn().experts().intermediateSize(), "I / k");
        assertEquals(new SharedExpertSpec(16, true), spec.ffn().sharedExpert());
        assertTrue(spec.attention().qkvBias());
        assertThrows(IllegalArgumentException.class, () -> TimeMoeSpec.fromJson("{"));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        TimeMoeSpec.fromJson(
                                spec.toJson().replace("\"numExperts\": 4", "\"numExperts\": 1")));
        assertThrows(
                IllegalArgumentException.class,
                () -> TimeMoeSpec.fromJson("{\"inputSize\": 1, \"hiddenSize\": 16}"));
    }

    @Test
    void lastValueSkipAddsTheInputValueToEveryHead() {
        TimeMoeSpec plain = small();
        TimeMoeSpec skip =
                new TimeMoeSpec(
                        1,
                        16,
                        16,
                        2,
                        2,
                        4,
                        2,
                        new int[] {1, 4, 8},
                        32,
                        10000.0,
                        1e-6f,
                        0.02f,
                        2f,
                        true);
        assertFalse(plain.lastValueSkip(), "Time-MoE's heads by default");
        assertEquals(skip, TimeMoeSpec.fromJson(skip.toJson()));
        com.google.gson.JsonObject older =
                com.google.gson.JsonParser.parseString(skip.toJson()).getAsJsonObject();
        older.remove("lastValueSkip"); // a model.json written before the option existed
        assertEquals(plain, TimeMoeSpec.fromJson(older.toString()));
        try (NDManager manager = NDManager.newBaseManager()) {
            TimeMoeForecaster a = build(manager);
            Engine.getInstance().setRandomSeed(7);
            TimeMoeForecaster b = new TimeMoeForecaster(skip);
            b.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            // the same weights in both blocks
            for (int i = 0; i < a.getParameters().size(); i++) {
                b.getParameters()
                        .valueAt(i)
                        .getArray()
                        .set(a.getParameters().valueAt(i).getArray().toFloatArray());
            }
            ParameterStore ps = new ParameterStore(manager, false);
            float[] x = {0.5f, -1f, 2f, 0.25f, 3f};
            NDList outA = a.forecastHeads(ps, manager.create(x, new Shape(1, 5)), false, null);
            NDList outB = b.forecastHeads(ps, manager.create(x, new Shape(1, 5)), false, null);
            for (int k = 0; k < outA.size(); k++) {
                float[] pa = outA.get(k).toFloatArray();
                float[] pb = outB.get(k).toFloatArray();
                int h = (int) outA.get(k).getShape().get(2);
                for (int t = 0; t < x.length; t++) {
                    for (int j = 0; j < h; j++) {
                        assertEquals(pa[t * h + j] + x[t], pb[t * h + j], 1e-5f, "t " + t);
                    }
                }
            }
        }
    }
}
