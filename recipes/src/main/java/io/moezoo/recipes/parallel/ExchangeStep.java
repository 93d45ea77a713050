package io.moezoo.recipes.parallel;

import java.util.Arrays;

/**
 * One training or inference step of one MoE layer under expert parallelism: which worker each
 * (token, slot) assignment goes to, what the dispatch and combine all-to-alls move, and what a
 * capacity limit would drop.
 *
 * <p>Every token lives on one worker (its data-parallel shard). Without a capacity limit (dropless,
 * as MegaBlocks), each assignment is sent to the replica {@link Placement#destination} picks and
 * its output row comes back, so an assignment that leaves its worker costs one row of H values in
 * the dispatch and one in the combine. Two refinements are counted beside it: a token sent once per
 * destination worker however many of its experts live there (the destination sums their weighted
 * outputs before the combine), and the same per destination node (a hierarchical all-to-all that
 * forwards inside the node).
 *
 * <p>With a capacity factor cf (GShard, Switch, Tutel), each worker's tokens form a group of B
 * tokens, every expert accepts at most {@code C = ceil(k · B · cf / E)} of the group's assignments
 * (all first choices before second choices, in token order; the rest are dropped), and the buffers
 * are fixed: each worker sends a {@code [C, H]} buffer per expert whether it is full or not, so the
 * padded volume is {@code C} rows per (worker, expert held elsewhere).
 *
 * @param tokens T, the tokens of the step
 * @param workerLoad the assignments each worker's experts process without dropping
 * @param assignments the non-empty (token, slot) assignments
 * @param local the assignments processed on the token's own worker
 * @param remoteTokenWorkers distinct (token, destination worker) pairs off the token's worker
 * @param interNode the assignments whose destination is on another node
 * @param remoteTokenNodes distinct (token, destination node) pairs off the token's node
 * @param maxReceived the most rows one worker receives in the dispatch
 * @param dropped for each capacity factor, the assignments dropped
 * @param paddedRemoteRows for each capacity factor, the buffer rows sent off-worker (padding
 *     included)
 */
public record ExchangeStep(
        int tokens,
        long[] workerLoad,
        long assignments,
        long local,
        long remoteTokenWorkers,
        long interNode,
        long remoteTokenNodes,
        long maxReceived,
        long[] dropped,
        long[] paddedRemoteRows) {

    /**
     * Simulates a step.
     *
     * @param owner the worker of each token, {@code [T]}
     * @param choices the expert of each (token, slot), token-major {@code [T · k]}, -1 for none
     * @param slots k
     * @param placement the expert placement
     * @param capacityFactors the capacity factors to evaluate
     * @return the step's counts
     */
    public static ExchangeStep simulate(
            int[] owner, int[] choices, int slots, Placement placement, double[] capacityFactors) {
        int tokens = owner.length;
        int workers = placement.numWorkers();
        int experts = placement.numExperts();
        if (choices.length != tokens * slots) {
            throw new IllegalArgumentException("choices must be tokens × slots");
        }
        long[] load = new long[workers];
        long[] received = new long[workers];
        int[][] sentTo = new int[workers][experts];
        long assignments = 0;
        long local = 0;
        long interNode = 0;
        long tokenWorkers = 0;
        long tokenNodes = 0;
        long[][] offset = new long[workers][experts];
        for (int t = 0; t < tokens; t++) {
            if (owner[t] < 0 || owner[t] >= workers) {
                throw new IllegalArgumentException("token " + t + " on worker " + owner[t]);
            }
            for (int s = 0; s < slots; s++) {
                int e = choices[t * slots + s];
                if (e >= 0 && owner[t] + 1 < workers) {
                    offset[owner[t] + 1][e]++;
                }
            }
        }
        for (int w = 1; w < workers; w++) {
            for (int e = 0; e < experts; e++) {
                offset[w][e] += offset[w - 1][e];
            }
        }
        int[] dest = new int[slots];
        for (int t = 0; t < tokens; t++) {
            int src = owner[t];
            for (int s = 0; s < slots; s++) {
                int e = choices[t * slots + s];
                dest[s] = -1;
                if (e < 0) {
                    continue;
                }
                int nth = sentTo[src][e]++;
                long global = offset[src][e] + nth;
                long nodeStart = (long) placement.nodeOf(src) * placement.workersPerNode();
                long inNode = global - offset[(int) nodeStart][e];
                int d = placement.destination(src, e, nth, global, inNode);
                dest[s] = d;
                assignments++;
                load[d]++;
                if (d == src) {
                    local++;
                    continue;
                }
                received[d]++;
                if (placement.nodeOf(d) != placement.nodeOf(src)) {
                    interNode++;
                }
                if (firstOf(dest, s, d, -1, placement)) {
                    tokenWorkers++;
                }
                if (placement.nodeOf(d) != placement.nodeOf(src)
                        && firstOf(dest, s, -1, placement.nodeOf(d), placement)) {
                    tokenNodes++;
                }
            }
        }
        long[] dropped = new long[capacityFactors.length];
        long[] padded = new long[capacityFactors.length];
        for (int c = 0; c < capacityFactors.length; c++) {
            long[] capped = capacity(owner, choices, slots, experts, workers, capacityFactors[c]);
            dropped[c] = capped[0];
            padded[c] = capped[1] == 0 ? 0 : paddedRows(owner, placement, capped);
        }
        return new ExchangeStep(
                tokens,
                load,
                assignments,
                local,
                tokenWorkers,
                interNode,
                tokenNodes,
                Arrays.stream(received).max().orElse(0),
                dropped,
                padded);
    }

    /** Whether slot s is the token's first slot going to worker d (or to node n when d is -1). */
    private static boolean firstOf(int[] dest, int s, int d, int n, Placement p) {
        for (int j = 0; j < s; j++) {
            if (dest[j] >= 0 && (d >= 0 ? dest[j] == d : p.nodeOf(dest[j]) == n)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Applies the per-group capacity: returns {dropped, any capacity} followed by the capacity C of
     * each worker's group.
     */
    private static long[] capacity(
            int[] owner, int[] choices, int slots, int experts, int workers, double cf) {
        long[] groupTokens = new long[workers];
        for (int w : owner) {
            groupTokens[w]++;
        }
        long[] result = new long[2 + workers];
        for (int w = 0; w < workers; w++) {
            result[2 + w] = capacityOf(groupTokens[w], slots, experts, cf);
            result[1] += result[2 + w];
        }
        int[][] taken = new int[workers][experts];
        for (int s = 0; s < slots; s++) {
            for (int t = 0; t < owner.length; t++) {
                int e = choices[t * slots + s];
                if (e < 0) {
                    continue;
                }
                int w = owner[t];
                if (taken[w][e] < result[2 + w]) {
                    taken[w][e]++;
                } else {
                    result[0]++;
                }
            }
        }
        return result;
    }

    /**
     * The capacity per expert of a group: {@code ceil(k · B · cf / E)}.
     *
     * @param groupTokens B
     * @param slots k
     * @param experts E
     * @param cf the capacity factor
     * @return C
     */
    public static long capacityOf(long groupTokens, int slots, int experts, double cf) {
        // A tiny tolerance keeps k·B·cf/E = 40.000000001 (binary rounding of cf) at 40.
        return (long) Math.ceil(slots * groupTokens * cf / experts - 1e-9);
    }

    private static long paddedRows(int[] owner, Placement placement, long[] capped) {
        boolean[] present = new boolean[placement.numWorkers()];
        for (int w : owner) {
            present[w] = true;
        }
        long rows = 0;
        for (int w = 0; w < present.length; w++) {
            if (!present[w]) {
                continue;
            }
            for (int e = 0; e < placement.numExperts(); e++) {
                if (placement.destination(w, e, 0, w, w % placement.workersPerNode()) != w) {
                    rows += capped[2 + w];
                }
            }
        }
        return rows;
    }

    /**
     * Returns the load imbalance: the busiest worker's assignments over the mean.
     *
     * @return max / mean of {@link #workerLoad()} (1 = perfectly balanced; 0 without assignments)
     */
    public double imbalance() {
        long max = Arrays.stream(workerLoad).max().orElse(0);
        double mean = (double) assignments / workerLoad.length;
        return mean == 0 ? 0 : max / mean;
    }

    /**
     * Returns the assignments that leave their worker.
     *
     * @return assignments minus local
     */
    public long remote() {
        return assignments - local;
    }
}
