package io.moezoo.blocks.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertChoiceSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.spec.SwitchSpec;
import io.moezoo.blocks.spec.TopPSpec;
import io.moezoo.blocks.surgery.WeightAssignment;
import org.junit.jupiter.api.Test;

/** Hand-built cases for capacity, dropping, expert choice, top-p and DeepSeek routing. */
class RouterBehaviourTest {

    /** A router whose logits equal {@code scale · x} (W = scale · I). */
    private static Router identityRouter(RouterSpec spec, NDManager manager, float scale) {
        int e = spec.numChoices();
        Router router = MoeTestSupport.init(RouterKinds.create(spec), manager, -1, e);
        WeightAssignment.assign(
                router.getDirectParameters().get("weight"), manager.eye(e).mul(scale));
        return router;
    }

    private static NDArray rows(NDManager manager, float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }

    @Test
    void switchDropsOverflowInSequenceOrder() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RouterSpec spec = SwitchSpec.of(3, 1f).withCapacity(2);
            Router router = identityRouter(spec, manager, 10f);
            NDArray x =
                    rows(
                            manager,
                            new float[][] {
                                {1, 0, 0}, {1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}
                            });
            RoutingDecision d = router.route(MoeTestSupport.store(manager), x, 6, false);
            assertArrayEquals(new int[] {0, 0, -1, 1, 2, -1}, d.getExperts());
            assertArrayEquals(new int[] {0, 0, 0, 1, 2, 0}, d.getChoices());
            assertEquals(2, d.droppedAssignments());
            double pMax = Math.exp(10) / (Math.exp(10) + 2);
            assertEquals(
                    pMax,
                    d.getWeights().toFloatArray()[0],
                    1e-6,
                    "weight is the top-1 probability");
            // Groups of 3 tokens: capacity applies per group.
            RoutingDecision grouped = router.route(MoeTestSupport.store(manager), x, 3, false);
            assertArrayEquals(new int[] {0, 0, -1, 1, 2, 0}, grouped.getExperts());
        }
    }

    @Test
    void droppedTokensContributeZeroToTheLayerOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RouterSpec spec = SwitchSpec.of(3, 1f).withCapacity(1);
            MoeLayer layer =
                    MoeTestSupport.init(
                            new MoeLayer(MoeLayerSpec.of(spec, new SwiGluExpertSpec(3, 3, 4))),
                            manager,
                            -1,
                            3);
            WeightAssignment.assign(
                    layer.getRouter().getDirectParameters().get("weight"), manager.eye(3).mul(10f));
            NDArray x = rows(manager, new float[][] {{1, 0, 0}, {2, 0, 0}, {0, 1, 0}});
            float[] y =
                    layer.forward(MoeTestSupport.store(manager), new NDList(x), false)
                            .head()
                            .toFloatArray();
            for (int h = 0; h < 3; h++) {
                assertEquals(0f, y[3 + h], "token 1 overflowed expert 0 and gets zero");
            }
            assertTrue(
                    Math.abs(y[0]) + Math.abs(y[1]) + Math.abs(y[2]) > 0, "token 0 was processed");
            assertEquals(1, layer.getLastStatistics().droppedAssignments());
            // Per-token routing view: token 0 -> expert 0 with its softmax probability, token 1
            // dropped (all zero), token 2 -> expert 1.
            float p = (float) (Math.exp(10) / (Math.exp(10) + 2));
            float[][] w = layer.getLastStatistics().tokenExpertWeights();
            assertArrayEquals(new float[] {p, 0, 0}, w[0], 1e-6f);
            assertArrayEquals(new float[] {0, 0, 0}, w[1], 0f);
            assertArrayEquals(new float[] {0, p, 0}, w[2], 1e-6f);
            // Router entropy: mean over tokens of the entropy of softmax(logits), logits 10·x.
            double expected =
                    (softmaxEntropy(10, 0, 0) + softmaxEntropy(20, 0, 0) + softmaxEntropy(0, 10, 0))
                            / 3;
            assertEquals(expected, layer.getLastStatistics().routerEntropy(), 1e-6);
        }
    }

    private static double softmaxEntropy(double... logits) {
        double z = 0;
        for (double l : logits) {
            z += Math.exp(l);
        }
        double h = 0;
        for (double l : logits) {
            double q = Math.exp(l) / z;
            h -= q * Math.log(q);
        }
        return h;
    }

    @Test
    void vmoeServesAllFirstChoicesBeforeSecondChoices() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RouterSpec spec = CapacityTopKSpec.of(2, 2, 1f).withCapacity(1);
            Router router = identityRouter(spec, manager, 1f);
            // token 0 prefers (0, 1), token 1 prefers (1, 0)
            NDArray x = rows(manager, new float[][] {{2, 1}, {1, 2}});
            RoutingDecision d = router.route(MoeTestSupport.store(manager), x, 2, false);
            // Token-major order would give token 0 both experts and token 1 none.
            assertArrayEquals(new int[] {0, -1, 1, -1}, d.getExperts());
            assertArrayEquals(new int[] {0, 1, 1, 0}, d.getChoices());
        }
    }

    @Test
    void batchPrioritizedRoutingServesConfidentTokensFirst() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = rows(manager, new float[][] {{1, 0}, {5, 0}});
            RouterSpec plain = CapacityTopKSpec.of(2, 1, 1f).withCapacity(1);
            RouterSpec bpr =
                    CapacityTopKSpec.of(2, 1, 1f).withCapacity(1).withBatchPrioritized(true);
            ParameterStore ps = MoeTestSupport.store(manager);
            assertArrayEquals(
                    new int[] {0, -1},
                    identityRouter(plain, manager, 1f).route(ps, x, 2, false).getExperts());
            assertArrayEquals(
                    new int[] {-1, 0},
                    identityRouter(bpr, manager, 1f).route(ps, x, 2, false).getExperts());
        }
    }

    @Test
    void vmoeCapacityIsRoundedUpToTheMultiple() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // ceil(2 * 10 * 1.05 / 8) = ceil(2.625) = 3, rounded up to a multiple of 4 = 4
            RouterSpec spec = CapacityTopKSpec.of(8, 2, 1.05f).withCapacityMultiple(4);
            Router router = MoeTestSupport.init(RouterKinds.create(spec), manager, -1, 4);
            RoutingDecision d =
                    router.route(
                            MoeTestSupport.store(manager),
                            MoeTestSupport.gaussian(manager, 1, 20, 4),
                            10,
                            false);
            assertEquals(4, d.getCapacity());
            for (long c : d.tokensPerExpert()) {
                assertTrue(c <= 4 * 2, "at most C per expert in each of the 2 groups");
            }
        }
    }

    @Test
    void expertChoiceLoadIsExactlyCapacity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RouterSpec spec = ExpertChoiceSpec.of(6, 2, 1.5f);
            Router router = MoeTestSupport.init(RouterKinds.create(spec), manager, -1, 8);
            RoutingDecision d =
                    router.route(
                            MoeTestSupport.store(manager),
                            MoeTestSupport.gaussian(manager, 3, 3 * 20, 8),
                            20,
                            false);
            int c = (int) Math.ceil(2 * 20 * 1.5 / 6); // 10 tokens per expert and sequence
            assertEquals(c, d.getCapacity());
            for (long load : d.tokensPerExpert()) {
                assertEquals(3L * c, load);
            }
        }
    }

    @Test
    void topPSelectionSizeIsMonotoneInP() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = MoeTestSupport.gaussian(manager, 17, 40, 8);
            float[] ps = {0.05f, 0.3f, 0.5f, 0.7f, 0.9f, 1.0f};
            int[] previous = new int[40];
            NDArray w = null;
            for (float p : ps) {
                RouterSpec spec = TopPSpec.of(8, p, 1, 8);
                Router router = MoeTestSupport.init(RouterKinds.create(spec), manager, -1, 8);
                if (w == null) {
                    w = router.getDirectParameters().get("weight").getArray().duplicate();
                } else {
                    WeightAssignment.assign(router.getDirectParameters().get("weight"), w);
                }
                RoutingDecision d = router.route(MoeTestSupport.store(manager), x, 40, false);
                for (int t = 0; t < 40; t++) {
                    int n = 0;
                    for (int s = 0; s < 8; s++) {
                        n += d.getExperts()[t * 8 + s] >= 0 ? 1 : 0;
                    }
                    assertTrue(n >= previous[t], "selection size must not shrink as p grows");
                    if (p == 0.05f) {
                        assertEquals(1, n, "tiny p keeps only the top expert");
                    }
                    if (p == 1.0f) {
                        assertTrue(n >= 7, "p = 1 keeps (nearly) every expert");
                    }
                    previous[t] = n;
                }
            }
        }
    }

    @Test
    void deepSeekV3BiasSteersSelectionButNeverTheWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RouterSpec spec = RouterPresets.deepSeekV3(8, 2, 4, 2, 2.5f);
            GroupLimitedRouter router =
                    (GroupLimitedRouter)
                            MoeTestSupport.init(RouterKinds.create(spec), manager, -1, 6);
            ParameterStore ps = MoeTestSupport.store(manager);
            NDArray x = MoeTestSupport.gaussian(manager, 5, 30, 6);
            NDArray bias = MoeTestSupport.gaussian(manager, 6, 8).mul(0.5f);
            WeightAssignment.assign(router.getCorrectionBias(), bias);
            RoutingDecision a = router.route(ps, x, 30, false);
            WeightAssignment.assign(router.getCorrectionBias(), bias.add(3f));
            RoutingDecision b = router.route(ps, x, 30, false);
            assertArrayEquals(
                    a.getExperts(), b.getExperts(), "a uniform shift of b keeps the selection");
            assertArrayEquals(
                    a.getWeights().toFloatArray(),
                    b.getWeights().toFloatArray(),
                    "b never enters the weights");
            // Weights are the unbiased sigmoid scores of the chosen experts, renormalised, times
            // 2.5.
            float[] s = a.getScores().toFloatArray();
            float[] w = a.getWeights().toFloatArray();
            for (int t = 0; t < 30; t++) {
                double s0 = s[t * 8 + a.getExperts()[2 * t]];
                double s1 = s[t * 8 + a.getExperts()[2 * t + 1]];
                assertEquals(2.5 * s0 / (s0 + s1), w[2 * t], 1e-5);
            }
            // A bias pushing expert 7 to the top changes the selection.
            NDArray push =
                    manager.zeros(new Shape(8))
                            .add(manager.create(new float[] {0, 0, 0, 0, 0, 0, 0, 50f}));
            WeightAssignment.assign(router.getCorrectionBias(), push);
            RoutingDecision c = router.route(ps, x, 30, false);
            for (int t = 0; t < 30; t++) {
                assertEquals(7, c.getExperts()[2 * t], "expert 7 ranks first for every token");
            }
        }
    }

    @Test
    void deepSeekV3MasksDroppedGroupsAtMinusInfinity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // 4 experts in 2 groups, keep 1 group, k = 2. All biased scores are negative, so a
            // 0.0 mask (the old HF behaviour) would let a dropped group's expert outrank them.
            RouterSpec spec = RouterPresets.deepSeekV3(4, 2, 2, 1, 1f);
            GroupLimitedRouter router =
                    (GroupLimitedRouter)
                            MoeTestSupport.init(RouterKinds.create(spec), manager, -1, 5);
            WeightAssignment.assign(router.getCorrectionBias(), manager.full(new Shape(4), -10f));
            RoutingDecision d =
                    router.route(
                            MoeTestSupport.store(manager),
                            MoeTestSupport.gaussian(manager, 8, 25, 5),
                            25,
                            false);
            for (int t = 0; t < 25; t++) {
                int e0 = d.getExperts()[2 * t];
                int e1 = d.getExperts()[2 * t + 1];
                assertEquals(
                        e0 / 2,
                        e1 / 2,
                        "token " + t + " must take both experts from its one kept group");
            }
        }
    }

    @Test
    void auxLossFreeBiasUpdateFollowsTheSignRule() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RouterSpec spec =
                    GroupLimitedSpec.of(4, 1)
                            .withScoring(io.moezoo.blocks.spec.ScoringFunction.SIGMOID)
                            .withNormalizeTopK(true)
                            .withCorrectionBias(true, 0.1f);
            GroupLimitedRouter router =
                    (GroupLimitedRouter)
                            MoeTestSupport.init(RouterKinds.create(spec), manager, -1, 4);
            WeightAssignment.assign(
                    router.getDirectParameters().get("weight"), manager.eye(4).mul(5f));
            // 5 tokens to expert 0, 2 to expert 1, 1 to expert 2, none to expert 3: mean = 2.
            NDArray x =
                    rows(
                            manager,
                            new float[][] {
                                {1, 0, 0, 0},
                                {1, 0, 0, 0},
                                {1, 0, 0, 0},
                                {1, 0, 0, 0},
                                {1, 0, 0, 0},
                                {0, 1, 0, 0},
                                {0, 1, 0, 0},
                                {0, 0, 1, 0}
                            });
            router.route(MoeTestSupport.store(manager), x, 8, true);
            router.updateBias();
            assertArrayEquals(
                    new float[] {-0.1f, 0f, 0.1f, 0.1f},
                    router.getCorrectionBias().getArray().toFloatArray(),
                    1e-7f);
            router.updateBias(); // no tokens since: unchanged
            assertArrayEquals(
                    new float[] {-0.1f, 0f, 0.1f, 0.1f},
                    router.getCorrectionBias().getArray().toFloatArray(),
                    1e-7f);
            router.route(MoeTestSupport.store(manager), x, 8, false); // inference does not count
            router.updateBias();
            assertArrayEquals(
                    new float[] {-0.1f, 0f, 0.1f, 0.1f},
                    router.getCorrectionBias().getArray().toFloatArray(),
                    1e-7f);
        }
    }

    @Test
    void jitterAndNoiseApplyOnlyInTraining() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RouterSpec spec = CapacityTopKSpec.of(8, 2, 2f).withNoiseStd(8f).withJitter(0.2f);
            Router router = MoeTestSupport.init(RouterKinds.create(spec), manager, -1, 6);
            ParameterStore ps = MoeTestSupport.store(manager);
            NDArray x = MoeTestSupport.gaussian(manager, 2, 64, 6);
            RoutingDecision eval1 = router.route(ps, x, 64, false);
            RoutingDecision eval2 = router.route(ps, x, 64, false);
            assertArrayEquals(eval1.getWeights().toFloatArray(), eval2.getWeights().toFloatArray());
            assertEquals(null, eval1.getLoadProbabilities());
            RoutingDecision train = router.route(ps, x, 64, true);
            assertTrue(
                    !java.util.Arrays.equals(
                            eval1.getScores().toFloatArray(), train.getScores().toFloatArray()),
                    "training adds noise");
            float[] load = train.getLoadProbabilities().toFloatArray();
            for (float p : load) {
                assertTrue(p >= 0 && p <= 1);
            }
        }
    }
}
