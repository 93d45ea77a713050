package io.moezoo.recipes.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two decode steps on two workers, two experts (expert 0 on worker 0, expert 1 on worker 1), top-1,
 * hidden size 3, worked out by hand.
 *
 * <pre>
 * evaluation half: sequence A (worker 0) chooses 0 then 1; sequence B (worker 1) chooses 0 then 0
 * position 0: A -> e0 local, B -> e0 on w0   loads 2, 0   busiest 2, max/mean 2, one idle, 1 row
 * position 1: A -> e1 on w1, B -> e0 on w0   loads 1, 1   busiest 1, max/mean 1, none idle, 2 rows
 * </pre>
 */
class DecodeReplayTest {

    private static RoutingTrace trace() {
        RoutingTrace.Sequence calibration = new RoutingTrace.Sequence(2, new int[][] {{1, 1}});
        RoutingTrace.Sequence a = new RoutingTrace.Sequence(2, new int[][] {{0, 1}});
        RoutingTrace.Sequence b = new RoutingTrace.Sequence(2, new int[][] {{0, 0}});
        return new RoutingTrace(
                "brown-tiny",
                "0",
                "hand-made",
                3,
                2,
                1,
                1,
                List.of(calibration, calibration, a, b));
    }

    @Test
    void decodeStepsByHand() {
        DecodeReplay.Row r = DecodeReplay.simulate(trace(), 2, 1, 2);
        assertEquals(2, r.steps());
        assertEquals(1.5, r.busiestWorker(), 1e-12);
        assertEquals(1.5, r.imbalance(), 1e-12);
        assertEquals(0.25, r.idleShare(), 1e-12);
        // 3 remote rows over 2 steps, each 3 BF16 values there and back: 1.5 · 3 · 2 · 2 bytes.
        assertEquals(18.0, r.bytes(), 1e-12);
        assertEquals(0.25, r.localFraction(), 1e-12);
    }

    @Test
    void needsAFullGroupOfSequences() {
        assertNull(DecodeReplay.simulate(trace(), 2, 2, 2));
    }
}
