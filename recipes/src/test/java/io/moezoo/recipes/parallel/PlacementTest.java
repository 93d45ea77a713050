package io.moezoo.recipes.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static final long[] SKEWED = {100, 10, 10, 10, 10, 10, 10, 10};

    @Test
    void contiguousBlocks() {
        Placement p = Placement.contiguous(8, 2, 8);
        for (int e = 0; e < 8; e++) {
            assertArrayEquals(new int[] {e / 4}, p.replicasOf(e));
        }
        Placement wide = Placement.contiguous(8, 64, 8);
        assertArrayEquals(new int[] {24, 25, 26, 27, 28, 29, 30, 31}, wide.replicasOf(3));
        // Worker 0 (node 0) has no replica of expert 3 on its node: its assignments go round the
        // eight replicas of node 3.
        assertEquals(24, wide.destination(0, 3, 0, 0, 0));
        assertEquals(25, wide.destination(0, 3, 1, 1, 0));
        assertEquals(24, wide.destination(0, 3, 8, 8, 0));
    }

    @Test
    void roundRobinIsOneExpertParallelGroupPerNode() {
        Placement p = Placement.roundRobin(8, 64, 8);
        assertArrayEquals(new int[] {3, 11, 19, 27, 35, 43, 51, 59}, p.replicasOf(3));
        for (int w = 0; w < 64; w++) {
            for (int e = 0; e < 8; e++) {
                int d = p.destination(w, e, 5, 5, 5);
                assertEquals(p.nodeOf(w), p.nodeOf(d), "same node");
                assertEquals(e, d % 8);
            }
        }
        assertEquals(11, p.destination(11, 3, 0, 0, 0), "local replica first");
    }

    @Test
    void loadAwarePacksTheHotExpertAlone() {
        Placement p = Placement.loadAware("la", SKEWED, 2, 0, 8);
        int[][] held = p.expertsPerWorker();
        assertArrayEquals(new int[] {0, 5, 6, 7}, held[0]);
        assertArrayEquals(new int[] {1, 2, 3, 4}, held[1]);
    }

    @Test
    void extraSlotsReplicateTheHottestExperts() {
        // 10 slots: expert 0 gets a second replica (capped at one per worker), then expert 1.
        Placement p = Placement.loadAware("la+1", SKEWED, 2, 1, 8);
        assertArrayEquals(new int[] {0, 1}, p.replicasOf(0));
        assertEquals(2, p.replicasOf(1).length);
        for (int e = 2; e < 8; e++) {
            assertEquals(1, p.replicasOf(e).length);
        }
        // With more workers than experts the 64 slots follow the load: 100 / (100 + 70) of them
        // would be ~38; the highest-average rule gives the hot expert 36 and each other 4.
        Placement wide = Placement.loadAware("la", SKEWED, 64, 0, 8);
        assertEquals(36, wide.replicasOf(0).length);
        assertEquals(4, wide.replicasOf(7).length);
    }

    @Test
    void invariantsForEveryStrategyAndWorkerCount() {
        for (int w : new int[] {1, 2, 3, 4, 8, 16, 64}) {
            for (Placement p : TraceReplay.placements(8, w, SKEWED, 8)) {
                int[] slots = new int[w];
                for (int e = 0; e < 8; e++) {
                    int[] r = p.replicasOf(e);
                    assertTrue(r.length >= 1);
                    assertEquals(r.length, Arrays.stream(r).distinct().count());
                    for (int x : r) {
                        slots[x]++;
                    }
                    for (int src = 0; src < w; src++) {
                        int d = p.destination(src, e, src * 7, src * 11, src * 3);
                        assertTrue(Arrays.binarySearch(r, d) >= 0, "destination holds the expert");
                        if (p.rule() == Placement.ReplicaRule.LOCALITY
                                && Arrays.binarySearch(r, src) >= 0) {
                            assertEquals(src, d, "local replica first");
                        }
                    }
                }
                int min = Arrays.stream(slots).min().orElseThrow();
                int max = Arrays.stream(slots).max().orElseThrow();
                assertTrue(min >= 1 && max - min <= 1, p.name() + " W=" + w);
            }
        }
    }

    @Test
    void perNodePlacementKeepsEveryAssignmentOnItsNode() {
        Placement p = Placement.nodeLoadAware("node", SKEWED, 64, 1, 8);
        assertEquals(Placement.ReplicaRule.NODE_BALANCED, p.rule());
        // Each node: 16 slots; highest load per replica first gives the hot expert all 8 workers,
        // expert 1 a second replica and the others one each.
        assertEquals(64, p.replicasOf(0).length);
        assertEquals(16, p.replicasOf(1).length);
        assertEquals(8, p.replicasOf(7).length);
        for (int e = 0; e < 8; e++) {
            for (int src = 0; src < 64; src += 5) {
                assertEquals(p.nodeOf(src), p.nodeOf(p.destination(src, e, 0, 99, 3)));
            }
        }
        // Node-balanced: node 2's assignments to expert 1 alternate over its two replicas there.
        int[] onNode2 = Arrays.stream(p.replicasOf(1)).filter(w -> w / 8 == 2).toArray();
        assertEquals(2, onNode2.length);
        assertEquals(onNode2[1], p.destination(17, 1, 0, 40, 3));
        assertEquals(onNode2[0], p.destination(17, 1, 0, 41, 4));
    }

    @Test
    void rejectsBrokenPlacements() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new Placement(
                                "x", 2, 2, new int[][] {{0}, {}}, Placement.ReplicaRule.LOCALITY));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new Placement(
                                "x",
                                2,
                                2,
                                new int[][] {{0, 0}, {1}},
                                Placement.ReplicaRule.LOCALITY));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new Placement(
                                "x",
                                3,
                                2,
                                new int[][] {{0}, {0}, {0}, {1}},
                                Placement.ReplicaRule.LOCALITY));
    }
}
