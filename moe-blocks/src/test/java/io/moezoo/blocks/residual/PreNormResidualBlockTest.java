package io.moezoo.blocks.residual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.attention.AttentionContext;
import io.moezoo.blocks.attention.KvCache;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.attention.TokenMixer;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pre-norm residual block against hand-computed values, and its wiring contract. */
class PreNormResidualBlockTest {

    private static final float EPS = 1e-6f;

    /** A parameter-free mixer, {@code y = 2x}, that records the context it was given. */
    private static final class DoublingMixer extends AbstractBlock implements TokenMixer {
        private AttentionContext seen;

        DoublingMixer() {
            super((byte) 1);
        }

        @Override
        public NDArray mix(
                ParameterStore ps, NDArray x, AttentionContext context, boolean training) {
            seen = context;
            return x.mul(2);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            return new NDList(inputs.head().mul(2));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    /** x / sqrt(mean(x²) + ε) · w, in double. */
    private static double[] rms(double[] x, double[] w) {
        double ms = 0;
        for (double v : x) {
            ms += v * v;
        }
        double inv = 1 / Math.sqrt(ms / x.length + EPS);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * inv * w[i];
        }
        return y;
    }

    private static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    private static void set(Parameter p, float... values) {
        p.getArray().set(values);
    }

    private static PreNormResidualBlock decoderLike(
            RmsNorm n1, DoublingMixer mixer, RmsNorm n2, FeedForward ffn) {
        return PreNormResidualBlock.builder()
                .optMixer("input_layernorm", n1, "self_attn", mixer)
                .setFeedForward("post_attention_layernorm", n2, "mlp", ffn)
                .build();
    }

    @Test
    void matchesHandComputedBlock() {
        // H = 2, I = 1: gate picks h₀, up picks h₁, down writes (+a, −a).
        try (NDManager m = NDManager.newBaseManager()) {
            RmsNorm n1 = new RmsNorm(2, EPS);
            RmsNorm n2 = new RmsNorm(2, EPS);
            SwiGluFeedForward ffn = new SwiGluFeedForward(2, 1, false);
            PreNormResidualBlock block =
                    MoeTestSupport.init(decoderLike(n1, new DoublingMixer(), n2, ffn), m, 1, 1, 2);
            set(n1.getWeight(), 1f, 1f);
            set(n2.getWeight(), 2f, 0.5f);
            set(ffn.getGateProj(), 1f, 0f);
            set(ffn.getUpProj(), 0f, 1f);
            set(ffn.getDownProj(), 1f, -1f);
            NDArray x = m.create(new float[] {3f, 4f, -1f, 0.5f}, new Shape(1, 2, 2));

            RoutedOutput out =
                    block.forwardRouted(
                            new ParameterStore(m, false), x, AttentionContext.none(), false);

            float[] expected = new float[4];
            double[][] rows = {{3, 4}, {-1, 0.5}};
            for (int t = 0; t < 2; t++) {
                double[] n = rms(rows[t], new double[] {1, 1});
                double[] h = {rows[t][0] + 2 * n[0], rows[t][1] + 2 * n[1]};
                double[] g = rms(h, new double[] {2, 0.5});
                double a = silu(g[0]) * g[1];
                expected[2 * t] = (float) (h[0] + a);
                expected[2 * t + 1] = (float) (h[1] - a);
            }
            assertArrayEquals(expected, out.output().toFloatArray(), 1e-5f);
            assertNull(out.routing(), "a dense FFN has no routing");
            assertEquals(new Shape(1, 2, 2), out.output().getShape());
        }
    }

    @Test
    void withoutMixerAddsOnlyTheFeedForwardAndReturnsItsRouting() {
        int h = 4;
        MoeLayerSpec spec =
                MoeLayerSpec.of(RouterPresets.mixtral(4, 2), new SwiGluExpertSpec(4, h, 6));
        try (NDManager m = NDManager.newBaseManager()) {
            RmsNorm norm = new RmsNorm(h, EPS);
            MoeLayer moe = new MoeLayer(spec);
            PreNormResidualBlock block =
                    MoeTestSupport.init(
                            PreNormResidualBlock.builder()
                                    .setFeedForward("norm", norm, "moe", moe)
                                    .build(),
                            m,
                            -1,
                            h);
            set(norm.getWeight(), 1f, 1f, 1f, 1f);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = MoeTestSupport.gaussian(m, 5, 6, h);

            RoutedOutput out = block.forwardRouted(ps, x, AttentionContext.none(), false);

            float[] xs = x.toFloatArray();
            float[] normed = new float[xs.length];
            for (int t = 0; t < 6; t++) {
                double[] row = new double[h];
                for (int i = 0; i < h; i++) {
                    row[i] = xs[t * h + i];
                }
                double[] n = rms(row, new double[] {1, 1, 1, 1});
                for (int i = 0; i < h; i++) {
                    normed[t * h + i] = (float) n[i];
                }
            }
            RoutedOutput direct = moe.forwardRouted(ps, m.create(normed, new Shape(6, h)), false);
            assertArrayEquals(
                    x.add(direct.output()).toFloatArray(), out.output().toFloatArray(), 1e-5f);
            assertTrue(out.isRouted());
            assertArrayEquals(direct.routing().getExperts(), out.routing().getExperts());
        }
    }

    @Test
    void passesTheContextToTheMixer() {
        try (NDManager m = NDManager.newBaseManager()) {
            DoublingMixer mixer = new DoublingMixer();
            PreNormResidualBlock block =
                    MoeTestSupport.init(
                            decoderLike(
                                    new RmsNorm(2, EPS),
                                    mixer,
                                    new RmsNorm(2, EPS),
                                    new SwiGluFeedForward(2, 3, false)),
                            m,
                            1,
                            3,
                            2);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = MoeTestSupport.gaussian(m, 1, 1, 3, 2);
            try (KvCache cache = new KvCache(m, 4)) {
                AttentionContext context = AttentionContext.cached(cache, 3);
                block.forwardRouted(ps, x, context, false);
                assertSame(context, mixer.seen);
            }
            NDArray mask = m.ones(new Shape(1, 3));
            block.forward(ps, new NDList(x, mask), false);
            assertSame(mask, mixer.seen.mask(), "[x, mask] inputs pass the mask on");
            block.forward(ps, new NDList(x), false);
            assertNull(mixer.seen.mask());
            assertNull(mixer.seen.cache());
        }
    }

    @Test
    void childrenKeepTheNamesAndOrderTheCallerGives() {
        try (NDManager m = NDManager.newBaseManager()) {
            PreNormResidualBlock block =
                    MoeTestSupport.init(
                            decoderLike(
                                    new RmsNorm(2, EPS),
                                    new DoublingMixer(),
                                    new RmsNorm(2, EPS),
                                    new SwiGluFeedForward(2, 3, false)),
                            m,
                            1,
                            1,
                            2);
            List<String> keys = new ArrayList<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                keys.add(p.getKey());
            }
            assertEquals(
                    List.of(
                            "01input_layernorm_weight",
                            "03post_attention_layernorm_weight",
                            "04mlp_gate_proj",
                            "04mlp_up_proj",
                            "04mlp_down_proj"),
                    keys);
        }
    }

    @Test
    void builderRejectsIncompleteOrAmbiguousBlocks() {
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PreNormResidualBlock.builder().build());
        assertTrue(missing.getMessage().contains("feed-forward"), missing.getMessage());
        IllegalArgumentException twice =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PreNormResidualBlock.builder()
                                        .optMixer(
                                                "n", new RmsNorm(2, EPS), "x", new DoublingMixer())
                                        .setFeedForward(
                                                "n",
                                                new RmsNorm(2, EPS),
                                                "f",
                                                new SwiGluFeedForward(2, 3, false))
                                        .build());
        assertTrue(twice.getMessage().contains("'n'"), twice.getMessage());
        IllegalArgumentException noNorm =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PreNormResidualBlock.builder()
                                        .optMixer("n1", null, "x", new DoublingMixer())
                                        .setFeedForward(
                                                "n2",
                                                new RmsNorm(2, EPS),
                                                "f",
                                                new SwiGluFeedForward(2, 3, false))
                                        .build());
        assertTrue(noNorm.getMessage().contains("mixer"), noNorm.getMessage());
        IllegalArgumentException blank =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PreNormResidualBlock.builder()
                                        .setFeedForward(
                                                " ",
                                                new RmsNorm(2, EPS),
                                                "f",
                                                new SwiGluFeedForward(2, 3, false))
                                        .build());
        assertTrue(blank.getMessage().contains("child name"), blank.getMessage());
    }
}
