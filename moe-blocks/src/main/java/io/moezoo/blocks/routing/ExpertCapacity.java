package io.moezoo.blocks.routing;

/**
 * Fills per-group expert buffers of capacity C in priority order and drops the overflow.
 *
 * <p>Priority follows Switch and V-MoE: within a group, every token's first choice is served before
 * any token's second choice (slot-major order), and within a slot tokens are served in sequence
 * order, or in the given order (batch-prioritized routing). A dropped choice leaves its slot empty:
 * the token gets nothing from that expert and keeps only its residual.
 */
public final class ExpertCapacity {

    private ExpertCapacity() {}

    /**
     * Assigns buffer slots.
     *
     * @param choices the chosen expert of each (token, slot), row-major {@code [T·S]}, -1 = none
     * @param numSlots S
     * @param groupSize tokens per group; divides T
     * @param capacity C, the slots per expert and group
     * @param numExperts E
     * @param order the service order of the tokens inside each group as absolute token indices,
     *     {@code [T]}; null for sequence order
     * @return the experts kept per slot, -1 where the choice overflowed
     */
    public static int[] assign(
            int[] choices, int numSlots, int groupSize, int capacity, int numExperts, int[] order) {
        int tokens = choices.length / numSlots;
        int[] kept = new int[choices.length];
        java.util.Arrays.fill(kept, -1);
        int[] fill = new int[numExperts];
        for (int start = 0; start < tokens; start += groupSize) {
            java.util.Arrays.fill(fill, 0);
            for (int s = 0; s < numSlots; s++) {
                for (int i = start; i < start + groupSize; i++) {
                    int t = order == null ? i : order[i];
                    int slot = t * numSlots + s;
                    int e = choices[slot];
                    if (e >= 0 && e < numExperts && fill[e] < capacity) {
                        fill[e]++;
                        kept[slot] = e;
                    }
                }
            }
        }
        return kept;
    }
}
