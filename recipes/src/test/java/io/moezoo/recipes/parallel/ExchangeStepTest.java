package io.moezoo.recipes.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A six-token step on two workers, four experts, top-2, every count worked out by hand.
 *
 * <pre>
 * token  worker  choices        contiguous: experts 0,1 on w0; 2,3 on w1
 * t0     w0      0, 2           0 local, 2 -> w1
 * t1     w0      0, 1           both local
 * t2     w0      3, 2           both -> w1 (one (token, worker) pair)
 * t3     w1      2, 0           2 local, 0 -> w0
 * t4     w1      2, 3           both local
 * t5     w1      1, (empty)     1 -> w0
 * </pre>
 */
class ExchangeStepTest {

    static final int[] OWNER = {0, 0, 0, 1, 1, 1};
    static final int[] CHOICES = {0, 2, 0, 1, 3, 2, 2, 0, 2, 3, 1, -1};

    @Test
    void contiguousPlacementByHand() {
        Placement p = Placement.contiguous(4, 2, 1);
        ExchangeStep s = ExchangeStep.simulate(OWNER, CHOICES, 2, p, new double[] {0.5, 1.0, 2.0});
        assertEquals(6, s.tokens());
        assertEquals(11, s.assignments());
        assertEquals(6, s.local());
        assertEquals(5, s.remote());
        // w0 runs experts 0 (t0, t1, t3) and 1 (t1, t5); w1 runs 2 (t0, t2, t3, t4) and 3 (t2, t4).
        assertArrayEquals(new long[] {5, 6}, s.workerLoad());
        assertEquals(6 / 5.5, s.imbalance(), 1e-12);
        assertEquals(4, s.remoteTokenWorkers());
        // w1 receives t0, t2 and t2 again; w0 receives t3 and t5.
        assertEquals(3, s.maxReceived());
        // One worker per node: every remote assignment crosses nodes.
        assertEquals(5, s.interNode());
        assertEquals(4, s.remoteTokenNodes());
        // C = ceil(2·3·cf/4): 1, 2, 3. At C = 1, first choices first: w0 drops t1->0 (slot 0)
        // and t2->2 (slot 1); w1 drops t4->2 (slot 0).
        assertArrayEquals(new long[] {3, 0, 0}, s.dropped());
        // Each worker sends a C-row buffer to each of its two remote experts: 4·C rows.
        assertArrayEquals(new long[] {4, 8, 12}, s.paddedRemoteRows());
    }

    @Test
    void roundRobinPlacementByHand() {
        // Experts 0, 2 on w0 and 1, 3 on w1.
        Placement p = Placement.roundRobin(4, 2, 2);
        ExchangeStep s = ExchangeStep.simulate(OWNER, CHOICES, 2, p, new double[] {1.0});
        assertEquals(6, s.local());
        assertArrayEquals(new long[] {7, 4}, s.workerLoad());
        assertEquals(7 / 5.5, s.imbalance(), 1e-12);
        // t1 -> w1, t2 -> w1, t3 -> w0 (both slots), t4 -> w0.
        assertEquals(4, s.remoteTokenWorkers());
        // One node of two workers: nothing crosses nodes.
        assertEquals(0, s.interNode());
        assertEquals(0, s.remoteTokenNodes());
    }

    @Test
    void balancedReplicasTradeLocalityForAnEvenSplit() {
        // Expert 0 on both workers, expert 1 on worker 1; four top-1 tokens all choose expert 0.
        int[][] replicas = {{0, 1}, {1}};
        int[] owner = {0, 0, 1, 1};
        int[] choices = {0, 0, 0, 0};
        Placement local = new Placement("local", 2, 2, replicas, Placement.ReplicaRule.LOCALITY);
        ExchangeStep l = ExchangeStep.simulate(owner, choices, 1, local, new double[0]);
        assertEquals(4, l.local());
        assertArrayEquals(new long[] {2, 2}, l.workerLoad());
        // Balanced: global numbers 0, 1 (worker 0) and 2, 3 (worker 1) dealt over {w0, w1}:
        // t0 -> w0, t1 -> w1, t2 -> w0, t3 -> w1; t1 and t2 leave their worker.
        Placement balanced =
                new Placement("balanced", 2, 2, replicas, Placement.ReplicaRule.BALANCED);
        ExchangeStep b = ExchangeStep.simulate(owner, choices, 1, balanced, new double[0]);
        assertEquals(2, b.local());
        assertArrayEquals(new long[] {2, 2}, b.workerLoad());
        // Now worker 0 holds three of the tokens: locality loads it 3:1, balance keeps 2:2.
        int[] skewed = {0, 0, 0, 1};
        assertArrayEquals(
                new long[] {3, 1},
                ExchangeStep.simulate(skewed, choices, 1, local, new double[0]).workerLoad());
        assertArrayEquals(
                new long[] {2, 2},
                ExchangeStep.simulate(skewed, choices, 1, balanced, new double[0]).workerLoad());
    }

    @Test
    void capacityFormula() {
        assertEquals(2, ExchangeStep.capacityOf(3, 2, 4, 1.0));
        assertEquals(40, ExchangeStep.capacityOf(160, 2, 8, 1.0));
        assertEquals(50, ExchangeStep.capacityOf(160, 2, 8, 1.25));
        assertEquals(1, ExchangeStep.capacityOf(1, 1, 8, 1.0));
    }
}
