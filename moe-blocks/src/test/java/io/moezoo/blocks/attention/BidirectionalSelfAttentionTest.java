package io.moezoo.blocks.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.moezoo.blocks.MoeTestSupport;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bidirectional multi-head attention against a plain-loop computation. */
class BidirectionalSelfAttentionTest {

    private static final int B = 2;
    private static final int S = 5;
    private static final int H = 8;
    private static final int HEADS = 2;

    /** Gives every parameter seeded Gaussian values (biases too, so they are exercised). */
    private static Map<String, float[]> randomise(BidirectionalSelfAttention block, NDManager m) {
        Map<String, float[]> values = new HashMap<>();
        long seed = 7;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Shape shape = p.getValue().getArray().getShape();
            NDArray v = MoeTestSupport.gaussian(m, seed++, shape.getShape()).mul(0.5f);
            p.getValue().getArray().set(v.toFloatArray());
            values.put(p.getValue().getName(), v.toFloatArray());
        }
        return values;
    }

    /** y = x·Wᵀ + b for one row. */
    private static double[] linear(double[] x, float[] w, float[] b) {
        double[] y = new double[H];
        for (int o = 0; o < H; o++) {
            double s = b[o];
            for (int i = 0; i < H; i++) {
                s += w[o * H + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }

    private static float[] loopAttention(float[] x, Map<String, float[]> p) {
        int d = H / HEADS;
        float[] out = new float[B * S * H];
        for (int b = 0; b < B; b++) {
            double[][] q = new double[S][];
            double[][] k = new double[S][];
            double[][] v = new double[S][];
            for (int t = 0; t < S; t++) {
                double[] row = new double[H];
                for (int i = 0; i < H; i++) {
                    row[i] = x[(b * S + t) * H + i];
                }
                q[t] = linear(row, p.get("q_proj"), p.get("q_proj_bias"));
                k[t] = linear(row, p.get("k_proj"), p.get("k_proj_bias"));
                v[t] = linear(row, p.get("v_proj"), p.get("v_proj_bias"));
            }
            for (int t = 0; t < S; t++) {
                double[] context = new double[H];
                for (int h = 0; h < HEADS; h++) {
                    double[] scores = new double[S];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < S; j++) { // every position, no mask
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            s += q[t][h * d + c] * k[j][h * d + c];
                        }
                        scores[j] = s / Math.sqrt(d);
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < S; j++) {
                        scores[j] = Math.exp(scores[j] - max);
                        sum += scores[j];
                    }
                    for (int j = 0; j < S; j++) {
                        for (int c = 0; c < d; c++) {
                            context[h * d + c] += scores[j] / sum * v[j][h * d + c];
                        }
                    }
                }
                double[] y = linear(context, p.get("o_proj"), p.get("o_proj_bias"));
                for (int i = 0; i < H; i++) {
                    out[(b * S + t) * H + i] = (float) y[i];
                }
            }
        }
        return out;
    }

    @Test
    void matchesLoopComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            BidirectionalSelfAttention block =
                    MoeTestSupport.init(new BidirectionalSelfAttention(H, HEADS, true), m, B, S, H);
            Map<String, float[]> params = randomise(block, m);
            NDArray x = MoeTestSupport.gaussian(m, 99, B, S, H);
            NDArray y = block.apply(new ParameterStore(m, false), x, false);
            assertEquals(new Shape(B, S, H), y.getShape());
            float[] expected = loopAttention(x.toFloatArray(), params);
            assertArrayEquals(expected, y.toFloatArray(), 1e-4f);
        }
    }

    @Test
    void firstPositionSeesLaterPositions() {
        // A causal layer's first output depends only on the first input; this one must change when
        // only the last position changes.
        try (NDManager m = NDManager.newBaseManager()) {
            BidirectionalSelfAttention block =
                    MoeTestSupport.init(new BidirectionalSelfAttention(H, HEADS, true), m, 1, S, H);
            randomise(block, m);
            ParameterStore ps = new ParameterStore(m, false);
            float[] x = MoeTestSupport.gaussian(m, 5, 1, S, H).toFloatArray();
            float[] first = block.apply(ps, m.create(x, new Shape(1, S, H)), false).toFloatArray();
            x[(S - 1) * H] += 3f;
            float[] changed =
                    block.apply(ps, m.create(x, new Shape(1, S, H)), false).toFloatArray();
            double diff = 0;
            for (int i = 0; i < H; i++) {
                diff += Math.abs(first[i] - changed[i]);
            }
            assertTrue(diff > 1e-3, "position 0 did not react to position S-1: " + diff);
        }
    }

    @Test
    void permutingPositionsPermutesOutputs() {
        try (NDManager m = NDManager.newBaseManager()) {
            BidirectionalSelfAttention block =
                    MoeTestSupport.init(new BidirectionalSelfAttention(H, HEADS, true), m, 1, S, H);
            randomise(block, m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = MoeTestSupport.gaussian(m, 11, 1, S, H);
            NDArray reversed = x.flip(1);
            NDArray y = block.apply(ps, x, false);
            NDArray yReversed = block.apply(ps, reversed, false);
            assertArrayEquals(y.flip(1).toFloatArray(), yReversed.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void maskedKeysAreIgnored() {
        // With the last two keys of sequence 0 masked, its first S-2 outputs are those of the
        // attention over its first S-2 positions alone; sequence 1 (unmasked) is unchanged.
        try (NDManager m = NDManager.newBaseManager()) {
            BidirectionalSelfAttention block =
                    MoeTestSupport.init(new BidirectionalSelfAttention(H, HEADS, true), m, B, S, H);
            randomise(block, m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = MoeTestSupport.gaussian(m, 21, B, S, H);
            float[] keep = new float[B * S];
            java.util.Arrays.fill(keep, 1f);
            keep[S - 2] = 0f;
            keep[S - 1] = 0f;
            NDArray mask = m.create(keep, new Shape(B, S));
            NDArray y = block.mix(ps, x, AttentionContext.masked(mask), false);
            NDArray shortOnly = block.apply(ps, x.get("0:1, 0:" + (S - 2) + ", :"), false);
            assertArrayEquals(
                    shortOnly.toFloatArray(),
                    y.get("0:1, 0:" + (S - 2) + ", :").toFloatArray(),
                    1e-5f);
            assertArrayEquals(
                    block.apply(ps, x, false).get("1:2").toFloatArray(),
                    y.get("1:2").toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void fullyMaskedSequenceStaysFinite() {
        try (NDManager m = NDManager.newBaseManager()) {
            BidirectionalSelfAttention block =
                    MoeTestSupport.init(new BidirectionalSelfAttention(H, HEADS, true), m, 1, S, H);
            randomise(block, m);
            NDArray x = MoeTestSupport.gaussian(m, 3, 1, S, H);
            NDArray y =
                    block.apply(
                            new ParameterStore(m, false),
                            x,
                            m.zeros(new Shape(1, S), DataType.FLOAT32),
                            false);
            for (float v : y.toFloatArray()) {
                assertTrue(Float.isFinite(v), "output " + v);
            }
        }
    }

    @Test
    void rejectsACacheAndAMisshapenMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            BidirectionalSelfAttention block =
                    MoeTestSupport.init(new BidirectionalSelfAttention(H, HEADS, true), m, 1, S, H);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.zeros(new Shape(1, S, H), DataType.FLOAT32);
            try (KvCache cache = new KvCache(m, 1)) {
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> block.mix(ps, x, AttentionContext.cached(cache, 0), false));
                assertTrue(e.getMessage().contains("KV cache"), e.getMessage());
            }
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    block.apply(
                                            ps,
                                            x,
                                            m.ones(new Shape(1, S + 1), DataType.FLOAT32),
                                            false));
            assertTrue(e.getMessage().contains("key mask"), e.getMessage());
        }
    }

    @Test
    void rejectsBadShapesAndSizes() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new BidirectionalSelfAttention(10, 3, true));
        assertTrue(e.getMessage().contains("numHeads"), e.getMessage());
        try (NDManager m = NDManager.newBaseManager()) {
            BidirectionalSelfAttention block =
                    MoeTestSupport.init(
                            new BidirectionalSelfAttention(H, HEADS, false), m, 1, S, H);
            assertEquals(4, block.getParameters().size(), "no biases requested");
            IllegalArgumentException shape =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    block.apply(
                                            new ParameterStore(m, false),
                                            m.zeros(new Shape(1, S, H + 1), DataType.FLOAT32),
                                            false));
            assertTrue(shape.getMessage().contains("[B, S, 8]"), shape.getMessage());
        }
    }
}
