package io.moezoo.recipes.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays the step of {@link ExchangeStepTest} as a trace of two three-token sequences (calibration
 * half) followed by the same two (evaluation half), one sequence per worker, hidden size 3.
 */
class TraceReplayTest {

    static RoutingTrace tinyTrace() {
        RoutingTrace.Sequence a = new RoutingTrace.Sequence(3, new int[][] {{0, 2, 0, 1, 3, 2}});
        RoutingTrace.Sequence b = new RoutingTrace.Sequence(3, new int[][] {{2, 0, 2, 3, 1, -1}});
        return new RoutingTrace("tiny", "0", "hand-made", 3, 4, 2, 1, List.of(a, b, a, b));
    }

    @Test
    void contiguousRowByHand() {
        List<TraceReplay.Row> rows = TraceReplay.replay(tinyTrace(), new int[] {2}, 1, 1);
        assertEquals(5, rows.size(), "five placements (two one-worker nodes)");
        TraceReplay.Row r = rows.get(0);
        assertEquals("contiguous", r.placement());
        assertEquals(1, r.steps());
        assertEquals(3.0, r.tokensPerWorker(), 1e-12);
        assertEquals(6 / 5.5, r.meanImbalance(), 1e-12);
        assertEquals(6 / 11.0, r.localFraction(), 1e-12);
        // 5 remote rows of 3 BF16 values, there and back: 5 · 3 · 2 · 2 bytes.
        assertEquals(60.0, r.droplessBytes(), 1e-9);
        assertEquals(48.0, r.dedupBytes(), 1e-9);
        assertEquals(1.0, r.interNodeFraction(), 1e-12);
        // cf 1.0, 1.25, 2.0: C = 2, 2, 3, nothing dropped; 4·C buffer rows of 12 bytes.
        assertArrayEquals(new double[] {0, 0, 0}, r.dropFraction(), 1e-12);
        assertArrayEquals(new double[] {96, 96, 144}, r.paddedBytes(), 1e-9);
        TraceReplay.Row rr = rows.get(1);
        assertEquals("round-robin", rr.placement());
        assertEquals(7 / 5.5, rr.meanImbalance(), 1e-12);
        // Per node with one worker per node: every worker holds all four experts, nothing moves.
        TraceReplay.Row perNode = rows.get(4);
        assertEquals("per node +1 replica", perNode.placement());
        assertEquals(1.0, perNode.localFraction(), 1e-12);
        assertEquals(0.0, perNode.droplessBytes(), 1e-12);
        // Each worker runs its own tokens: 6 assignments on w0, 5 on w1 (t5 has an empty slot).
        assertEquals(6 / 5.5, perNode.meanImbalance(), 1e-12);
    }

    @Test
    void loadAwareUsesOnlyTheCalibrationHalf() {
        RoutingTrace t = tinyTrace();
        long[] load = TraceReplay.expertLoad(t.sequences().subList(0, 2), 0, 4);
        // Expert 0: t0, t1, t3; 1: t1, t5; 2: t0, t2, t3, t4; 3: t2, t4.
        assertArrayEquals(new long[] {3, 2, 4, 2}, load);
    }

    @Test
    void perfectlyBalancedRouting() {
        // 16-token sequences, token t choosing experts t mod 8 and (t + 1) mod 8: every expert gets
        // exactly 4 assignments per sequence, so every worker's load is equal, 1/W of the
        // assignments are local (W <= E) and C = ceil(2·16·1.0/8) = 4 drops nothing.
        int[] choices = new int[32];
        for (int t = 0; t < 16; t++) {
            choices[2 * t] = t % 8;
            choices[2 * t + 1] = (t + 1) % 8;
        }
        List<RoutingTrace.Sequence> sequences = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            sequences.add(new RoutingTrace.Sequence(16, new int[][] {choices}));
        }
        RoutingTrace t = new RoutingTrace("even", "0", "synthetic", 4, 8, 2, 1, sequences);
        for (TraceReplay.Row r : TraceReplay.replay(t, new int[] {2, 4, 8}, 1, 8)) {
            assertEquals(1.0, r.meanImbalance(), 1e-12, r.placement() + " W=" + r.workers());
            assertEquals(0.0, r.dropFraction()[0], 1e-12);
            if (!r.placement().contains("replica")) {
                assertEquals(1.0 / r.workers(), r.localFraction(), 1e-12);
                // Remote rows per step: 32 per worker · (1 − 1/W) · W workers, 4 values, 2 bytes,
                // there and back.
                double rows = 32.0 * r.workers() * (1 - 1.0 / r.workers());
                assertEquals(rows * 4 * 2 * 2, r.droplessBytes(), 1e-9);
            }
        }
    }

    @Test
    void skipsWorkerCountsWithoutAFullStep() {
        assertEquals(0, TraceReplay.replay(tinyTrace(), new int[] {4}, 1, 1).size());
    }
}
