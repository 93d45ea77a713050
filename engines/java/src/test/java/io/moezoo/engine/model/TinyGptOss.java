package io.moezoo.engine.model;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.YarnScaling;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.engine.tensor.WeightFormat;
import io.moezoo.models.language.DecoderSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A tiny random gpt-oss checkpoint (2 layers with windows 3 and full, sinks, q/k/v/o biases, YaRN,
 * a biased router, clamped SwiGLU experts in MXFP4) in the Hugging Face key layout, served either
 * in the hub's MXFP4 form or in the dequantized x·W form, and its logits by a float64 transcription
 * of gpt-oss's forward pass (moe-reference-semantics §9.2–9.6) written here independently of the
 * engine.
 */
final class TinyGptOss {

    static final int V = 40;
    static final int H = 32;
    static final int HEADS = 4;
    static final int KV = 2;
    static final int D = 8;
    static final int E = 4;
    static final int K = 2;
    static final int I = 32;
    static final int LAYERS = 2;
    static final List<Integer> WINDOWS = List.of(3, 0);
    static final float LIMIT = 7f;
    static final float ALPHA = 1.702f;
    static final double THETA = 150000;
    static final float EPS = 1e-5f;

    /** e2m1 by nibble. */
    private static final double[] FP4 = {
        0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -0.5, -1, -1.5, -2, -3, -4, -6
    };

    final DecoderSpec spec;
    private final Random random = new Random(2024);
    private final float[] embed = gaussian(V * H, 1);
    private final float[] head = gaussian(V * H, 0.3);
    private final float[] finalNorm = norm();
    private final List<Layer> layers = new ArrayList<>();

    /** One layer's weights; the experts as MXFP4 bytes and their decoded values. */
    private final class Layer {
        final float[] inNorm = norm();
        final float[] postNorm = norm();
        final float[] wq = gaussian(HEADS * D * H, 0.3);
        final float[] bq = gaussian(HEADS * D, 0.2);
        final float[] wk = gaussian(KV * D * H, 0.3);
        final float[] bk = gaussian(KV * D, 0.2);
        final float[] wv = gaussian(KV * D * H, 0.3);
        final float[] bv = gaussian(KV * D, 0.2);
        final float[] wo = gaussian(H * HEADS * D, 0.3);
        final float[] bo = gaussian(H, 0.2);
        final float[] sinks = gaussian(HEADS, 1);
        final float[] router = gaussian(E * H, 0.5);
        final float[] routerBias = gaussian(E, 1);
        final byte[] guBlocks = bytes(E * 2 * I * H / 2);
        final byte[] guScales = scales(E * 2 * I * H / 32);
        final byte[] downBlocks = bytes(E * H * I / 2);
        final byte[] downScales = scales(E * H * I / 32);
        // Wide biases so that some gates and ups pass the clamp limit.
        final float[] guBias = gaussian(E * 2 * I, 4);
        final float[] downBias = gaussian(E * H, 0.3);
        final double[] gateUp = decode(guBlocks, guScales); // [E, 2I, H]
        final double[] down = decode(downBlocks, downScales); // [E, H, I]
    }

    TinyGptOss() {
        AttentionSpec attention =
                new AttentionSpec(
                                H,
                                HEADS,
                                KV,
                                D,
                                true,
                                AttentionSpec.QkNorm.NONE,
                                THETA,
                                1.0,
                                0,
                                EPS)
                        .withGptOssExtras(true, true, YarnScaling.gptOss());
        MoeLayerSpec moe =
                MoeLayerSpec.of(
                        TopKSoftmaxSpec.of(E, K).withBias(true),
                        new ClampedSwiGluExpertSpec(E, H, I, LIMIT, ALPHA));
        spec =
                new DecoderSpec(
                                "gpt_oss",
                                V,
                                H,
                                attention,
                                Collections.nCopies(LAYERS, moe),
                                0,
                                EPS,
                                EPS,
                                false,
                                64)
                        .withSlidingWindows(WINDOWS);
        for (int l = 0; l < LAYERS; l++) {
            layers.add(new Layer());
        }
    }

    private float[] gaussian(int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    private float[] norm() {
        float[] v = new float[H];
        for (int i = 0; i < H; i++) {
            v[i] = (float) (1 + 0.2 * random.nextGaussian());
        }
        return v;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private byte[] scales(int n) {
        byte[] s = new byte[n];
        for (int i = 0; i < n; i++) {
            s[i] = (byte) (120 + random.nextInt(6)); // 2^-7 … 2^-2
        }
        return s;
    }

    /** MXFP4 rows to values: low nibble of byte k is value 2k, high nibble 2k + 1. */
    static double[] decode(byte[] blocks, byte[] scales) {
        double[] out = new double[blocks.length * 2];
        for (int i = 0; i < out.length; i++) {
            int nibble = (blocks[i / 2] >> (4 * (i % 2))) & 0xf;
            out[i] = FP4[nibble] * Math.pow(2, (scales[i / 32] & 0xff) - 127);
        }
        return out;
    }

    /**
     * The checkpoint: experts in MXFP4 ({@code dequantized} false) or in the x·W layout in the
     * given format.
     */
    MemorySource source(boolean dequantized, WeightFormat expertFormat) {
        MemorySource s = new MemorySource(spec);
        s.put("model.embed_tokens.weight", embed, V, H);
        s.put("lm_head.weight", head, V, H);
        s.put("model.norm.weight", finalNorm, H);
        for (int l = 0; l < LAYERS; l++) {
            Layer w = layers.get(l);
            String p = "model.layers." + l + ".";
            s.put(p + "input_layernorm.weight", w.inNorm, H);
            s.put(p + "post_attention_layernorm.weight", w.postNorm, H);
            s.put(p + "self_attn.q_proj.weight", w.wq, HEADS * D, H);
            s.put(p + "self_attn.q_proj.bias", w.bq, HEADS * D);
            s.put(p + "self_attn.k_proj.weight", w.wk, KV * D, H);
            s.put(p + "self_attn.k_proj.bias", w.bk, KV * D);
            s.put(p + "self_attn.v_proj.weight", w.wv, KV * D, H);
            s.put(p + "self_attn.v_proj.bias", w.bv, KV * D);
            s.put(p + "self_attn.o_proj.weight", w.wo, H, HEADS * D);
            s.put(p + "self_attn.o_proj.bias", w.bo, H);
            s.put(p + "self_attn.sinks", w.sinks, HEADS);
            s.put(p + "mlp.router.weight", w.router, E, H);
            s.put(p + "mlp.router.bias", w.routerBias, E);
            String x = p + "mlp.experts.";
            s.put(x + "gate_up_proj_bias", w.guBias, E, 2 * I);
            s.put(x + "down_proj_bias", w.downBias, E, H);
            if (dequantized) {
                s.put(x + "gate_up_proj", transpose(w.gateUp, 2 * I, H), expertFormat, E, H, 2 * I);
                s.put(x + "down_proj", transpose(w.down, H, I), expertFormat, E, I, H);
            } else {
                s.putMxfp4(x + "gate_up_proj", w.guBlocks, w.guScales, E, 2 * I, H);
                s.putMxfp4(x + "down_proj", w.downBlocks, w.downScales, E, H, I);
            }
        }
        return s;
    }

    /** Per expert, [rows, cols] to [cols, rows] (exact: MXFP4 values fit BF16). */
    private static float[] transpose(double[] w, int rows, int cols) {
        float[] out = new float[w.length];
        for (int e = 0; e < E; e++) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    out[e * rows * cols + c * rows + r] = (float) w[e * rows * cols + r * cols + c];
                }
            }
        }
        return out;
    }

    /** The logits of every position, {@code ids.length × V}, in float64. */
    double[] logits(long[] ids) {
        int n = ids.length;
        double[][] h = new double[n][H];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < H; c++) {
                h[t][c] = embed[(int) ids[t] * H + c];
            }
        }
        for (int l = 0; l < LAYERS; l++) {
            Layer w = layers.get(l);
            double[][] attended = attention(w, h, WINDOWS.get(l));
            for (int t = 0; t < n; t++) {
                for (int c = 0; c < H; c++) {
                    h[t][c] += attended[t][c];
                }
                double[] y = moe(w, rmsNorm(h[t], w.postNorm));
                for (int c = 0; c < H; c++) {
                    h[t][c] += y[c];
                }
            }
        }
        double[] out = new double[n * V];
        for (int t = 0; t < n; t++) {
            double[] y = linear(head, rmsNorm(h[t], finalNorm), null, V, H);
            System.arraycopy(y, 0, out, t * V, V);
        }
        return out;
    }

    private double[][] attention(Layer w, double[][] h, int window) {
        int n = h.length;
        double[][] q = new double[n][];
        double[][] k = new double[n][];
        double[][] v = new double[n][];
        for (int t = 0; t < n; t++) {
            double[] a = rmsNorm(h[t], w.inNorm);
            q[t] = YarnReference.rotate(linear(w.wq, a, w.bq, HEADS * D, H), t, D, THETA);
            k[t] = YarnReference.rotate(linear(w.wk, a, w.bk, KV * D, H), t, D, THETA);
            v[t] = linear(w.wv, a, w.bv, KV * D, H);
        }
        double[][] out = new double[n][];
        for (int t = 0; t < n; t++) {
            double[] context = new double[HEADS * D];
            for (int hh = 0; hh < HEADS; hh++) {
                int g = hh / (HEADS / KV);
                double sink = w.sinks[hh];
                double[] s = new double[t + 1];
                double max = sink;
                for (int j = 0; j <= t; j++) {
                    double dot = 0;
                    for (int i = 0; i < D; i++) {
                        dot += q[t][hh * D + i] * k[j][g * D + i];
                    }
                    boolean visible = window == 0 || j > t - window;
                    s[j] = visible ? dot / Math.sqrt(D) : Double.NEGATIVE_INFINITY;
                    max = Math.max(max, s[j]);
                }
                double z = Math.exp(sink - max);
                for (int j = 0; j <= t; j++) {
                    z += Math.exp(s[j] - max);
                }
                for (int j = 0; j <= t; j++) {
                    double p = Math.exp(s[j] - max) / z;
                    for (int i = 0; i < D; i++) {
                        context[hh * D + i] += p * v[j][g * D + i];
                    }
                }
            }
            out[t] = linear(w.wo, context, w.bo, H, HEADS * D);
        }
        return out;
    }

    private double[] moe(Layer w, double[] x) {
        double[] z = linear(w.router, x, w.routerBias, E, H);
        int[] top = new int[K];
        boolean[] taken = new boolean[E];
        for (int j = 0; j < K; j++) {
            int best = -1;
            for (int e = 0; e < E; e++) {
                if (!taken[e] && (best < 0 || z[e] > z[best])) {
                    best = e;
                }
            }
            taken[best] = true;
            top[j] = best;
        }
        double sum = 0;
        for (int j = 0; j < K; j++) {
            sum += Math.exp(z[top[j]] - z[top[0]]);
        }
        double[] y = new double[H];
        for (int j = 0; j < K; j++) {
            int e = top[j];
            double weight = Math.exp(z[e] - z[top[0]]) / sum;
            double[] gu = new double[2 * I];
            for (int r = 0; r < 2 * I; r++) {
                gu[r] = w.guBias[e * 2 * I + r];
                for (int c = 0; c < H; c++) {
                    gu[r] += w.gateUp[(e * 2 * I + r) * H + c] * x[c];
                }
            }
            double[] mid = new double[I];
            for (int u = 0; u < I; u++) {
                double gate = Math.min(gu[2 * u], LIMIT);
                double up = Math.max(-LIMIT, Math.min(gu[2 * u + 1], LIMIT));
                mid[u] = (up + 1) * gate / (1 + Math.exp(-ALPHA * gate));
            }
            for (int r = 0; r < H; r++) {
                double o = w.downBias[e * H + r];
                for (int c = 0; c < I; c++) {
                    o += w.down[(e * H + r) * I + c] * mid[c];
                }
                y[r] += weight * o;
            }
        }
        return y;
    }

    private static double[] rmsNorm(double[] x, float[] weight) {
        double squares = 0;
        for (double v : x) {
            squares += v * v;
        }
        double inverse = 1 / Math.sqrt(squares / x.length + EPS);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * inverse * weight[i];
        }
        return y;
    }

    private static double[] linear(float[] w, double[] x, float[] b, int out, int in) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b == null ? 0 : b[o];
            for (int i = 0; i < in; i++) {
                s += w[o * in + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }
}
