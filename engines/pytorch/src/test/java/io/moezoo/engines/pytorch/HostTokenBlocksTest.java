package io.moezoo.engines.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.CausalSelfAttention;
import io.moezoo.blocks.attention.KvCache;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.kernel.MatVec;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.routing.Router;
import io.moezoo.blocks.routing.RoutingDecision;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.ExpertType;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.RouterType;
import io.moezoo.blocks.spec.SharedExpertSpec;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The host-vector forms of the decode blocks ({@code applyToken} / {@code forwardToken}, products
 * on this kernel) against the same blocks' engine path with the kernel switched off.
 */
class HostTokenBlocksTest {

    private static final int H = 24;

    @AfterEach
    void enableKernel() {
        MatVec.setEnabled(true);
    }

    private static float[] random(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian() * 0.5f;
        }
        return a;
    }

    /** Fills every parameter (biases and norm weights included) with random values. */
    private static void randomize(Block block, Random rng) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(random(rng, Math.toIntExact(a.size())));
        }
    }

    private static float[] engine(java.util.function.Supplier<NDArray> run) {
        MatVec.setEnabled(false);
        try {
            return run.get().toFloatArray();
        } finally {
            MatVec.setEnabled(true);
        }
    }

    @Test
    void attentionWithBiasPerHeadNormAndSlidingWindow() {
        Random rng = new Random(5);
        AttentionSpec spec =
                new AttentionSpec(
                        H, 4, 2, 6, true, AttentionSpec.QkNorm.PER_HEAD, 1e4, 1, 3, 1e-6f);
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalSelfAttention attention = new CausalSelfAttention(spec);
            attention.initialize(manager, DataType.FLOAT32, new Shape(1, 1, H));
            randomize(attention, rng);
            ParameterStore ps = new ParameterStore(manager, false);
            try (KvCache engineCache = new KvCache(manager, 1);
                    KvCache hostCache = new KvCache(manager, 1)) {
                NDArray prompt = manager.create(random(rng, 5 * H), new Shape(1, 5, H));
                engine(() -> attention.apply(ps, prompt, engineCache, 0, false));
                engine(() -> attention.apply(ps, prompt, hostCache, 0, false));
                engineCache.advance(5);
                hostCache.advance(5);
                long rows = MatVec.rowsCalls();
                for (int step = 0; step < 4; step++) {
                    float[] x = random(rng, H);
                    float[] expected =
                            engine(
                                    () ->
                                            attention.apply(
                                                    ps,
                                                    manager.create(x, new Shape(1, 1, H)),
                                                    engineCache,
                                                    0,
                                                    false));
                    float[] actual = attention.applyToken(ps, manager, x, hostCache, 0);
                    assertArrayEquals(expected, actual, 1e-5f, "step " + step);
                    engineCache.advance(1);
                    hostCache.advance(1);
                }
                assertTrue(MatVec.rowsCalls() > rows, "products ran on host vectors");
            }
        }
    }

    @Test
    void moeLayerWithGatedSharedExpert() {
        Random rng = new Random(6);
        MoeLayerSpec spec =
                MoeLayerSpec.of(RouterSpec.mixtral(6, 2), ExpertSpec.swiGlu(6, H, 16))
                        .withSharedExpert(new SharedExpertSpec(20, true));
        checkMoe(spec, rng);
    }

    @Test
    void moeLayerWithExpertsWithoutAHostFormFallsBackToTheEngine() {
        Random rng = new Random(7);
        MoeLayerSpec spec =
                MoeLayerSpec.of(
                        RouterSpec.deepSeekV3(8, 2, 4, 2, 2.5f),
                        ExpertSpec.builder(ExpertType.MLP)
                                .setNumExperts(8)
                                .setHiddenSize(H)
                                .setIntermediateSize(12)
                                .build());
        checkMoe(spec, rng);
    }

    @Test
    void softmaxTopKRoutesATokenOnTheHostAsOnTheEngine() {
        Random rng = new Random(9);
        RouterSpec[] specs = {
            RouterSpec.mixtral(8, 2),
            RouterSpec.builder(RouterType.SOFTMAX_TOP_K)
                    .setNumExperts(6)
                    .setTopK(3)
                    .optNormalizeTopK(false)
                    .optScalingFactor(2.5f)
                    .optNullExperts(2)
                    .build()
        };
        for (RouterSpec spec : specs) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Router router = Router.create(spec);
                router.initialize(manager, DataType.FLOAT32, new Shape(-1, H));
                randomize(router, rng);
                ParameterStore ps = new ParameterStore(manager, false);
                for (int t = 0; t < 20; t++) {
                    float[] x = random(rng, H);
                    MatVec.setEnabled(false);
                    RoutingDecision expected =
                            router.route(ps, manager.create(x, new Shape(1, H)), 1, false);
                    MatVec.setEnabled(true);
                    long rowsCalls = MatVec.rowsCalls();
                    RoutingDecision host = router.routeToken(ps, manager, x);
                    assertEquals(rowsCalls + 1, MatVec.rowsCalls(), "logits on the host");
                    String what = spec.getType() + " token " + t;
                    assertArrayEquals(expected.getChoices(), host.getChoices(), what);
                    assertArrayEquals(expected.getExperts(), host.getExperts(), what);
                    assertArrayEquals(
                            expected.getWeightsOnHost(), host.getWeightsOnHost(), 1e-6f, what);
                    assertArrayEquals(
                            expected.getScoresOnHost(), host.getScoresOnHost(), 1e-6f, what);
                    // The engine arrays of the host decision are created on request.
                    assertArrayEquals(
                            expected.getLogits().toFloatArray(),
                            host.getLogits().toFloatArray(),
                            1e-5f,
                            what);
                    assertEquals(expected.getWeights().getShape(), host.getWeights().getShape());
                }
            }
        }
    }

    @Test
    void hostRoutingLeavesTiesToTheEngineAndRejectsNonFiniteInput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Router router = Router.create(RouterSpec.mixtral(4, 2));
            router.initialize(manager, DataType.FLOAT32, new Shape(-1, H));
            ParameterStore ps = new ParameterStore(manager, false);
            router.getParameters().valueAt(0).getArray().set(new float[4 * H]); // equal logits
            MatVec.setEnabled(false);
            RoutingDecision engine =
                    router.route(ps, manager.create(new float[H], new Shape(1, H)), 1, false);
            MatVec.setEnabled(true);
            RoutingDecision d = router.routeToken(ps, manager, new float[H]);
            // PyTorch orders equal values by its partial sort, not by index.
            assertArrayEquals(engine.getChoices(), d.getChoices());
            assertArrayEquals(new float[] {0.5f, 0.5f}, d.getWeightsOnHost(), 1e-7f);
            float[] bad = new float[H];
            bad[3] = Float.NaN;
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> router.routeToken(ps, manager, bad));
            assertTrue(e.getMessage().contains("not finite"), e.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> router.routeToken(ps, manager, new float[H + 1]));
        }
    }

    private static void checkMoe(MoeLayerSpec spec, Random rng) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = new MoeLayer(spec);
            layer.initialize(manager, DataType.FLOAT32, new Shape(-1, H));
            randomize(layer, rng);
            ParameterStore ps = new ParameterStore(manager, false);
            for (int t = 0; t < 5; t++) {
                float[] x = random(rng, H);
                float[] expected =
                        engine(
                                () ->
                                        layer.forwardRouted(
                                                        ps,
                                                        manager.create(x, new Shape(1, H)),
                                                        false)
                                                .output());
                MoeLayer.TokenOutput out = layer.forwardToken(ps, manager, x);
                assertArrayEquals(expected, out.output(), 1e-5f, "token " + t);
            }
        }
    }

    @Test
    void gatedDenseFeedForward() {
        Random rng = new Random(8);
        try (NDManager manager = NDManager.newBaseManager()) {
            SwiGluFeedForward ffn = new SwiGluFeedForward(H, 20, true);
            ffn.initialize(manager, DataType.FLOAT32, new Shape(-1, H));
            randomize(ffn, rng);
            ParameterStore ps = new ParameterStore(manager, false);
            float[] x = random(rng, H);
            float[] expected =
                    engine(() -> ffn.apply(ps, manager.create(x, new Shape(1, H)), false));
            assertArrayEquals(expected, ffn.applyToken(ps, x), 1e-5f);
        }
    }

    private static int resources(NDManager manager) {
        // BaseNDManager.toString() reports "Resource size: N"; DJL has no public counter.
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("Resource size: (\\d+)")
                        .matcher(manager.toString());
        if (!m.find()) {
            throw new AssertionError("cannot read the resource count of " + manager);
        }
        return Integer.parseInt(m.group(1));
    }

    @Test
    void manyHostStepsLeaveNothingInTheModelManager() {
        Random rng = new Random(9);
        MoeLayerSpec spec =
                MoeLayerSpec.of(RouterSpec.mixtral(6, 2), ExpertSpec.swiGlu(6, H, 16))
                        .withSharedExpert(new SharedExpertSpec(20, true));
        AttentionSpec attentionSpec =
                new AttentionSpec(H, 4, 2, 6, true, AttentionSpec.QkNorm.FULL, 1e4, 1, 0, 1e-6f);
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = new MoeLayer(spec);
            layer.initialize(manager, DataType.FLOAT32, new Shape(-1, H));
            CausalSelfAttention attention = new CausalSelfAttention(attentionSpec);
            attention.initialize(manager, DataType.FLOAT32, new Shape(1, 1, H));
            ParameterStore ps = new ParameterStore(manager, false);
            try (KvCache cache = new KvCache(manager, 1)) {
                int before = -1;
                for (int step = 0; step < 300; step++) {
                    try (NDManager scope = manager.newSubManager()) {
                        float[] x = random(rng, H);
                        layer.forwardToken(ps, scope, attention.applyToken(ps, scope, x, cache, 0));
                    }
                    cache.advance(1);
                    if (step == 10) {
                        before = resources(manager);
                    }
                }
                assertEquals(before, resources(manager), "model manager resources");
            }
        }
    }
}
