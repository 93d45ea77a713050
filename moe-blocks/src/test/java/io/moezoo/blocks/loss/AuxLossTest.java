package io.moezoo.blocks.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.moezoo.blocks.routing.RoutingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each auxiliary loss on hand-computed values. */
class AuxLossTest {

    /** A decision with given scores {@code [T, E]} and top-(slots) choices, one group of T. */
    private static RoutingDecision decision(
            NDManager m, float[][] scores, int[] choices, int slots, int group) {
        int t = scores.length;
        int e = scores[0].length;
        float[] flat = new float[t * e];
        for (int i = 0; i < t; i++) {
            System.arraycopy(scores[i], 0, flat, i * e, e);
        }
        NDArray s = m.create(flat, new Shape(t, e));
        NDArray logits = s.add(1e-9f).log();
        return new RoutingDecision(
                logits,
                s,
                m.ones(new Shape(t, slots)),
                null,
                choices,
                choices.clone(),
                e,
                group,
                -1);
    }

    private static float value(AuxiliaryLoss loss, LayerRouting... layers) {
        return loss.compute(List.of(layers)).getFloat();
    }

    private static LayerRouting micro(RoutingDecision d) {
        return LayerRouting.microBatch(d, d.getNumExperts());
    }

    @Test
    void mixtralLossHandComputedAndPooledOverLayers() {
        try (NDManager m = NDManager.newBaseManager()) {
            RoutingDecision a =
                    decision(m, new float[][] {{0.8f, 0.2f}, {0.4f, 0.6f}}, new int[] {0, 1}, 1, 2);
            // f = [.5, .5], P = [.6, .4] -> 2 * (.3 + .2) = 1.0
            assertEquals(1.0f, value(new LoadBalancingLoss(), micro(a)), 1e-6);
            RoutingDecision b =
                    decision(m, new float[][] {{1f, 0f}, {1f, 0f}}, new int[] {0, 0}, 1, 2);
            // pooled: f = [3/4, 1/4], P = [0.8, 0.2] -> 2 * (0.6 + 0.05) = 1.3 (per-layer mean
            // would be 1.5)
            assertEquals(1.3f, value(new LoadBalancingLoss(), micro(a), micro(b)), 1e-6);
            assertEquals(1.5f, value(new PerLayerLoadBalancingLoss(), micro(a), micro(b)), 1e-6);
        }
    }

    @Test
    void uniformRoutingGivesKForMixtralAndOneForTheNormalisedLosses() {
        try (NDManager m = NDManager.newBaseManager()) {
            float q = 0.25f;
            float[][] uniform = {{q, q, q, q}, {q, q, q, q}};
            RoutingDecision d = decision(m, uniform, new int[] {0, 1, 2, 3}, 2, 2); // k = 2
            assertEquals(2f, value(new LoadBalancingLoss(), micro(d)), 1e-6);
            assertEquals(1f, value(new PerLayerLoadBalancingLoss(), micro(d)), 1e-6);
            assertEquals(1f, value(SequenceBalanceLoss.deepSeekV2(), micro(d)), 1e-6);
            // Collapsed: every token to expert 0 with probability 1 (k = 1) gives E.
            RoutingDecision collapsed =
                    decision(m, new float[][] {{1, 0, 0, 0}, {1, 0, 0, 0}}, new int[] {0, 0}, 1, 2);
            assertEquals(4f, value(new LoadBalancingLoss(), micro(collapsed)), 1e-6);
            assertEquals(4f, value(new SwitchLoadBalancingLoss(), micro(collapsed)), 1e-6);
        }
    }

    @Test
    void switchLossIsPerGroup() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Two groups of 2 tokens. Group 0: both -> expert 0, P = [.9, .1]: 2 * .9 = 1.8.
            // Group 1: tokens -> 0 and 1, P = [.5, .5]: 2 * (.25 + .25) = 1.0. Mean 1.4.
            RoutingDecision d =
                    decision(
                            m,
                            new float[][] {{0.9f, 0.1f}, {0.9f, 0.1f}, {0.6f, 0.4f}, {0.4f, 0.6f}},
                            new int[] {0, 0, 0, 1},
                            1,
                            2);
            assertEquals(1.4f, value(new SwitchLoadBalancingLoss(), micro(d)), 1e-6);
        }
    }

    @Test
    void deepSeekSequenceLossHandComputed() {
        try (NDManager m = NDManager.newBaseManager()) {
            // seq 0: choices [0, 0], ce = [2, 0], P = [.8, .2] -> 1.6; seq 1: ce = [1, 1], P = [.5,
            // .5] -> 1.0
            RoutingDecision d =
                    decision(
                            m,
                            new float[][] {{0.7f, 0.3f}, {0.9f, 0.1f}, {0.5f, 0.5f}, {0.5f, 0.5f}},
                            new int[] {0, 0, 0, 1},
                            1,
                            2);
            assertEquals(1.3f, value(SequenceBalanceLoss.deepSeekV2(), micro(d)), 1e-6);
            // V3 normalises scores per token first: sigmoid-like scores [.4,.4] become [.5,.5].
            RoutingDecision v3 =
                    decision(m, new float[][] {{0.4f, 0.4f}, {0.2f, 0.2f}}, new int[] {0, 1}, 1, 2);
            assertEquals(1.0f, value(SequenceBalanceLoss.deepSeekV3(), micro(v3)), 1e-6);
            assertEquals(0.6f, value(SequenceBalanceLoss.deepSeekV2(), micro(v3)), 1e-6);
        }
    }

    @Test
    void importanceLoadAndZLoss() {
        try (NDManager m = NDManager.newBaseManager()) {
            RoutingDecision d = decision(m, new float[][] {{1, 0}, {1, 0}}, new int[] {0, 0}, 1, 2);
            // importance [2, 0]: mean 1, population variance 1 -> CV^2 = 1
            assertEquals(1f, value(new ImportanceLoss(), micro(d)), 1e-5);
            RoutingDecision even =
                    decision(m, new float[][] {{0.5f, 0.5f}, {0.5f, 0.5f}}, new int[] {0, 1}, 1, 2);
            assertEquals(0f, value(new ImportanceLoss(), micro(even)), 1e-7);
            RoutingDecision withLoad =
                    new RoutingDecision(
                            m.zeros(new Shape(2, 2)),
                            even.getScores(),
                            m.ones(new Shape(2, 1)),
                            m.create(new float[] {0.9f, 0.3f, 0.9f, 0.3f}, new Shape(2, 2)),
                            new int[] {0, 0},
                            new int[] {0, 0},
                            2,
                            2,
                            -1);
            // load [.9, .3]: mean .6, variance .09 -> .25
            assertEquals(0.25f, value(new LoadLoss(), micro(withLoad)), 1e-5);
            assertThrows(IllegalStateException.class, () -> value(new LoadLoss(), micro(d)));
            RoutingDecision zeros =
                    new RoutingDecision(
                            m.zeros(new Shape(3, 2)),
                            even.getScores(),
                            m.ones(new Shape(3, 1)),
                            null,
                            new int[] {0, 0, 1},
                            new int[] {0, 0, 1},
                            2,
                            3,
                            -1);
            // logsumexp(0, 0) = ln 2
            assertEquals(Math.log(2) * Math.log(2), value(new RouterZLoss(), micro(zeros)), 1e-6);
        }
    }

    @Test
    void globalBatchWindowPoolsCountsAcrossMicroBatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Micro-batch A: one domain, all to expert 0; micro-batch B: all to expert 1.
            RoutingDecision a =
                    decision(m, new float[][] {{0.9f, 0.1f}, {0.9f, 0.1f}}, new int[] {0, 0}, 1, 2);
            RoutingDecision b =
                    decision(m, new float[][] {{0.1f, 0.9f}, {0.1f, 0.9f}}, new int[] {1, 1}, 1, 2);
            LoadBalancingLoss lbl = new LoadBalancingLoss();
            BalanceWindow micro = BalanceWindow.microBatch();
            float microA = value(lbl, micro.record(0, a, 2));
            float microB = value(lbl, micro.record(0, b, 2));
            assertEquals(1.8f, microA, 1e-6);
            assertEquals(1.8f, microB, 1e-6);
            BalanceWindow global = BalanceWindow.globalBatch(2);
            value(lbl, global.record(0, a, 2));
            LayerRouting pooled = global.record(0, b, 2);
            assertArrayEquals(new long[] {2, 2}, pooled.windowCounts());
            // f = [.5, .5] over the global batch, P from micro-batch B = [.1, .9] -> 2 * .5 = 1.0
            assertEquals(1.0f, value(lbl, pooled), 1e-6);
            // A window of one micro-batch equals micro-batch balancing.
            assertEquals(microB, value(lbl, BalanceWindow.globalBatch(1).record(0, b, 2)), 1e-7);
            // The window slides: after A, B, A the counts are those of B and A.
            assertArrayEquals(new long[] {2, 2}, global.record(0, a, 2).windowCounts());
        }
    }

    @Test
    void gradientFlowsOnlyThroughTheMeanProbabilities() {
        try (NDManager m = NDManager.newBaseManager()) {
            RoutingDecision d =
                    decision(
                            m,
                            new float[][] {{0.8f, 0.2f}, {0.4f, 0.6f}, {0.3f, 0.7f}},
                            new int[] {0, 1, 1},
                            1,
                            3);
            NDArray scores = d.getScores();
            scores.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new LoadBalancingLoss().compute(List.of(micro(d))));
            }
            // dL/dp[n,e] = E * f_e / N with f = [1/3, 2/3]
            float[] g = scores.getGradient().toFloatArray();
            for (int n = 0; n < 3; n++) {
                assertEquals(2 * (1f / 3) / 3, g[2 * n], 1e-6);
                assertEquals(2 * (2f / 3) / 3, g[2 * n + 1], 1e-6);
            }
        }
    }
}
