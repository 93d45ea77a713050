package io.moezoo.blocks.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.moezoo.blocks.MoeTestSupport;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * gpt-oss attention (q/k/v/o biases, per-head sinks in the softmax denominator, YaRN RoPE, GQA,
 * sliding window) against a plain-loop computation, with and without the KV cache.
 */
class GptOssAttentionTest {

    private static final int S = 6;
    private static final int H = 8;
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int D = 4;

    private static AttentionSpec spec(int window) {
        return new AttentionSpec(
                        H,
                        HEADS,
                        KV_HEADS,
                        D,
                        true,
                        AttentionSpec.QkNorm.NONE,
                        150000,
                        1.0,
                        window,
                        1e-5f)
                .withGptOssExtras(true, true, YarnScaling.gptOss());
    }

    private static Map<String, float[]> randomise(CausalSelfAttention block, NDManager m) {
        Map<String, float[]> values = new HashMap<>();
        long seed = 11;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Shape shape = p.getValue().getArray().getShape();
            NDArray v = MoeTestSupport.gaussian(m, seed++, shape.getShape()).mul(0.7f);
            p.getValue().getArray().set(v.toFloatArray());
            values.put(p.getValue().getName(), v.toFloatArray());
        }
        return values;
    }

    /** y = W·x + b for a row-major W {@code [out, in]}. */
    private static float[] linear(float[] x, int from, int in, float[] w, float[] b) {
        int out = b.length;
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            double s = b[o];
            for (int i = 0; i < in; i++) {
                s += (double) w[o * in + i] * x[from + i];
            }
            y[o] = (float) s;
        }
        return y;
    }

    private static float[] loopAttention(float[] x, Map<String, float[]> p, AttentionSpec spec) {
        RotaryEmbedding rope = spec.rope();
        int window = spec.slidingWindow();
        float[][] q = new float[S][];
        float[][] k = new float[S][];
        float[][] v = new float[S][];
        for (int t = 0; t < S; t++) {
            q[t] = rope.rotateToken(linear(x, t * H, H, p.get("q_proj"), p.get("q_proj_bias")), t);
            k[t] = rope.rotateToken(linear(x, t * H, H, p.get("k_proj"), p.get("k_proj_bias")), t);
            v[t] = linear(x, t * H, H, p.get("v_proj"), p.get("v_proj_bias"));
        }
        float[] sinks = p.get("sinks");
        float[] out = new float[S * H];
        for (int t = 0; t < S; t++) {
            float[] context = new float[HEADS * D];
            for (int h = 0; h < HEADS; h++) {
                int g = h / (HEADS / KV_HEADS);
                double[] s = new double[t + 1];
                double max = sinks[h];
                for (int j = 0; j <= t; j++) {
                    boolean visible = window == 0 || j > t - window;
                    double dot = 0;
                    for (int i = 0; i < D; i++) {
                        dot += (double) q[t][h * D + i] * k[j][g * D + i];
                    }
                    s[j] = visible ? dot / Math.sqrt(D) : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, s[j]);
                }
                double z = Math.exp(sinks[h] - max); // the sink joins the denominator only
                for (int j = 0; j <= t; j++) {
                    z += Math.exp(s[j] - max);
                }
                for (int j = 0; j <= t; j++) {
                    double pj = Math.exp(s[j] - max) / z;
                    for (int i = 0; i < D; i++) {
                        context[h * D + i] += (float) (pj * v[j][g * D + i]);
                    }
                }
            }
            float[] y = linear(context, 0, HEADS * D, p.get("o_proj"), p.get("o_proj_bias"));
            System.arraycopy(y, 0, out, t * H, H);
        }
        return out;
    }

    @Test
    void sinksBiasesAndYarnMatchThePlainLoopWithAndWithoutCache() {
        for (int window : new int[] {0, 3}) {
            AttentionSpec spec = spec(window);
            try (NDManager manager = NDManager.newBaseManager()) {
                CausalSelfAttention block = new CausalSelfAttention(spec);
                MoeTestSupport.init(block, manager, 1, S, H);
                assertEquals(new Shape(HEADS), block.getParameters().get("sinks").getShape());
                Map<String, float[]> p = randomise(block, manager);
                ParameterStore ps = MoeTestSupport.store(manager);
                NDArray x = MoeTestSupport.gaussian(manager, 5, 1, S, H);
                float[] expected = loopAttention(x.toFloatArray(), p, spec);
                float[] full = block.apply(ps, x, null, 0, false).toFloatArray();
                assertArrayEquals(expected, full, 1e-4f, "full pass, window " + window);

                // Prefill 4 positions, then decode the last two one at a time.
                try (KvCache cache = new KvCache(manager, 1)) {
                    NDArray first = block.apply(ps, x.get(new NDIndex(":, 0:4")), cache, 0, false);
                    cache.advance(4);
                    NDArray fifth = block.apply(ps, x.get(new NDIndex(":, 4:5")), cache, 0, false);
                    cache.advance(1);
                    NDArray sixth = block.apply(ps, x.get(new NDIndex(":, 5:6")), cache, 0, false);
                    float[] cached = new float[S * H];
                    System.arraycopy(first.toFloatArray(), 0, cached, 0, 4 * H);
                    System.arraycopy(fifth.toFloatArray(), 0, cached, 4 * H, H);
                    System.arraycopy(sixth.toFloatArray(), 0, cached, 5 * H, H);
                    assertArrayEquals(expected, cached, 1e-4f, "cached, window " + window);
                }
            }
        }
    }
}
