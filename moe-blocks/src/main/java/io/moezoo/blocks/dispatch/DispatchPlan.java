package io.moezoo.blocks.dispatch;

import io.moezoo.blocks.routing.RoutingDecision;

/**
 * The host-side plan of one dispatch, built by a counting sort of the (token, slot) assignments by
 * expert in O(T·S + E).
 *
 * <p>Assignments keep their (token, slot) order inside each expert's segment, so results are
 * deterministic. For the combine, each token's non-empty slots are numbered in order as "rounds"
 * 0..R-1, R being the largest number of experts any token uses; {@link #combineIndex()} maps
 * (token, round) to the sorted assignment, or to {@link #assignments()} (a zero row) where the
 * token has fewer than R.
 */
public final class DispatchPlan {

    private final int numTokens;
    private final int[] counts;
    private final long[] sortedSlots;
    private final long[] sortedTokens;
    private final int[] sortedExperts;
    private final int[] rankInExpert;
    private final int rounds;
    private final long[] combineIndex;
    private final long[] combineSlots;
    private final boolean complete;

    private DispatchPlan(int[] experts, int numTokens, int numSlots, int numExperts) {
        this.numTokens = numTokens;
        counts = new int[numExperts];
        int assignments = 0;
        for (int e : experts) {
            if (e >= 0) {
                counts[e]++;
                assignments++;
            }
        }
        int[] start = new int[numExperts];
        for (int e = 1; e < numExperts; e++) {
            start[e] = start[e - 1] + counts[e - 1];
        }
        int[] next = start.clone();
        sortedSlots = new long[assignments];
        sortedTokens = new long[assignments];
        sortedExperts = new int[assignments];
        rankInExpert = new int[assignments];
        int[] positionOfSlot = new int[experts.length];
        int[] used = new int[numTokens];
        int maxUsed = 0;
        for (int slot = 0; slot < experts.length; slot++) {
            int e = experts[slot];
            if (e < 0) {
                continue;
            }
            int position = next[e]++;
            int token = slot / numSlots;
            sortedSlots[position] = slot;
            sortedTokens[position] = token;
            sortedExperts[position] = e;
            rankInExpert[position] = position - start[e];
            positionOfSlot[slot] = position;
            maxUsed = Math.max(maxUsed, ++used[token]);
        }
        rounds = maxUsed;
        combineIndex = new long[numTokens * rounds];
        combineSlots = new long[numTokens * rounds];
        java.util.Arrays.fill(combineIndex, assignments);
        java.util.Arrays.fill(combineSlots, experts.length);
        int[] round = new int[numTokens];
        for (int slot = 0; slot < experts.length; slot++) {
            if (experts[slot] >= 0) {
                int token = slot / numSlots;
                int at = token * rounds + round[token]++;
                combineIndex[at] = positionOfSlot[slot];
                combineSlots[at] = slot;
            }
        }
        boolean full = rounds == numSlots;
        for (int t = 0; t < numTokens && full; t++) {
            full = used[t] == rounds;
        }
        complete = full;
    }

    /**
     * Plans the dispatch of a routing decision.
     *
     * @param decision the routing decision
     * @return the plan
     */
    public static DispatchPlan of(RoutingDecision decision) {
        return of(
                decision.getExperts(),
                decision.getNumTokens(),
                decision.getNumSlots(),
                decision.getNumExperts());
    }

    /**
     * Plans a dispatch from raw slot assignments.
     *
     * @param experts the expert of each slot, row-major {@code [T·S]}, -1 = empty
     * @param numTokens T
     * @param numSlots S
     * @param numExperts E
     * @return the plan
     */
    public static DispatchPlan of(int[] experts, int numTokens, int numSlots, int numExperts) {
        if (experts.length != numTokens * numSlots) {
            throw new IllegalArgumentException(
                    "Expected "
                            + numTokens * numSlots
                            + " slot assignments, got "
                            + experts.length);
        }
        for (int e : experts) {
            if (e >= numExperts) {
                throw new IllegalArgumentException(
                        "Assignment to expert " + e + " but there are only " + numExperts);
            }
        }
        return new DispatchPlan(experts, numTokens, numSlots, numExperts);
    }

    /**
     * Returns T.
     *
     * @return the number of tokens
     */
    public int numTokens() {
        return numTokens;
    }

    /**
     * Returns A, the number of non-empty assignments.
     *
     * @return A
     */
    public int assignments() {
        return sortedSlots.length;
    }

    /**
     * Returns the assignments per expert. Do not modify.
     *
     * @return counts, length E
     */
    public int[] counts() {
        return counts;
    }

    /**
     * Returns the flat slot index ({@code t·S + s}) of each sorted assignment. Do not modify.
     *
     * @return slots, length A
     */
    public long[] sortedSlots() {
        return sortedSlots;
    }

    /**
     * Returns the token of each sorted assignment. Do not modify.
     *
     * @return tokens, length A
     */
    public long[] sortedTokens() {
        return sortedTokens;
    }

    /**
     * Returns the expert of each sorted assignment. Do not modify.
     *
     * @return experts, length A
     */
    public int[] sortedExperts() {
        return sortedExperts;
    }

    /**
     * Returns each sorted assignment's position inside its expert's segment. Do not modify.
     *
     * @return ranks, length A
     */
    public int[] rankInExpert() {
        return rankInExpert;
    }

    /**
     * Returns the largest number of experts that any token uses.
     *
     * @return R
     */
    public int rounds() {
        return rounds;
    }

    /**
     * Returns, for every (token, round), the sorted assignment to add, or A for nothing. Do not
     * modify.
     *
     * @return the combine index, length T·R
     */
    public long[] combineIndex() {
        return combineIndex;
    }

    /**
     * Returns, for every (token, round), the flat slot ({@code t·S + s}) whose weight applies, or
     * T·S for nothing. Do not modify.
     *
     * @return the combine slots, length T·R
     */
    public long[] combineSlots() {
        return combineSlots;
    }

    /**
     * Returns whether every slot of every token is used (R = S), so the combine needs no zero row
     * and the routing weights are already in combine order.
     *
     * @return true if complete
     */
    public boolean isComplete() {
        return complete;
    }

    /**
     * Returns the largest number of assignments any expert receives.
     *
     * @return the maximum count
     */
    public int maxCount() {
        int max = 0;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        return max;
    }
}
