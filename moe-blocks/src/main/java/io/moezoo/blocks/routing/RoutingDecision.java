package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * What a router decided for T tokens: each token has S slots, and each slot either names the expert
 * that processes the token (with a combine weight) or is empty.
 *
 * <p>Token-choice routers have S = k; expert choice has S = E (slot e belongs to expert e); top-p
 * has S = the maximum number of experts. A slot is empty when the token's choice was dropped for
 * capacity, when it chose a null expert, or when top-p needed fewer experts.
 *
 * <p>The NDArrays belong to the forward pass that produced them; the int arrays are host copies
 * that dispatch and statistics read without touching the engine.
 */
public final class RoutingDecision {

    private final NDArray logits;
    private final NDArray scores;
    private final NDArray weights;
    private final NDArray loadProbabilities;
    private final int[] experts;
    private final int[] choices;
    private final int numExperts;
    private final int numTokens;
    private final int numSlots;
    private final int groupSize;
    private final int capacity;
    private float[] hostScores;
    private float[] hostWeights;

    /**
     * Creates a decision.
     *
     * @param logits the router logits {@code [T, E']} in float32 (E' includes null experts)
     * @param scores the per-expert scores {@code [T, E']} the balancing losses use (softmax
     *     probabilities, or sigmoid scores for DeepSeek-V3)
     * @param weights the combine weights {@code [T, S]}; entries of empty slots are unused
     * @param loadProbabilities {@code P(expert e chosen | noise)} of shape {@code [T, E]} for noisy
     *     routers in training, else null
     * @param experts the expert of each slot, row-major {@code [T·S]}, or -1 for an empty slot
     * @param choices the expert each slot chose before capacity dropping, or -1 for none; null
     *     experts keep their index (&gt;= E)
     * @param numExperts E, the number of real experts
     * @param groupSize the tokens per routing group (sequence or capacity group)
     * @param capacity the capacity per expert and group, or -1 when dropless
     */
    public RoutingDecision(
            NDArray logits,
            NDArray scores,
            NDArray weights,
            NDArray loadProbabilities,
            int[] experts,
            int[] choices,
            int numExperts,
            int groupSize,
            int capacity) {
        this.logits = logits;
        this.scores = scores;
        this.weights = weights;
        this.loadProbabilities = loadProbabilities;
        this.experts = experts;
        this.choices = choices;
        this.numExperts = numExperts;
        this.numTokens = Math.toIntExact(weights.getShape().get(0));
        this.numSlots = Math.toIntExact(weights.getShape().get(1));
        this.groupSize = groupSize;
        this.capacity = capacity;
        if (experts.length != numTokens * numSlots || choices.length != experts.length) {
            throw new IllegalArgumentException("Routing arrays do not match [T, S] weights");
        }
    }

    /**
     * Returns the router logits {@code [T, E']} (float32).
     *
     * @return the logits
     */
    public NDArray getLogits() {
        return logits;
    }

    /**
     * Returns the per-expert scores {@code [T, E']} used by the balancing losses.
     *
     * @return the scores
     */
    public NDArray getScores() {
        return scores;
    }

    /**
     * Returns a host copy of the scores, row-major {@code [T·E']} in float32, made on the first
     * call; do not modify it.
     *
     * @return the scores
     */
    public float[] getScoresOnHost() {
        if (hostScores == null) {
            hostScores = toHost(scores);
        }
        return hostScores;
    }

    /**
     * Returns the combine weights {@code [T, S]}.
     *
     * @return the weights
     */
    public NDArray getWeights() {
        return weights;
    }

    /**
     * Returns a host copy of the combine weights, row-major {@code [T·S]} in float32, made on the
     * first call and shared by later readers (the routing statistics); do not modify it.
     *
     * @return the weights
     */
    public float[] getWeightsOnHost() {
        if (hostWeights == null) {
            hostWeights = toHost(weights);
        }
        return hostWeights;
    }

    /**
     * Returns {@code P(expert e in the selection | noise)} for noisy routers in training.
     *
     * @return the probabilities {@code [T, E]}, or null
     */
    public NDArray getLoadProbabilities() {
        return loadProbabilities;
    }

    /**
     * Returns the expert of each slot ({@code [T·S]}, -1 = empty). Do not modify.
     *
     * @return the slot experts
     */
    public int[] getExperts() {
        return experts;
    }

    /**
     * Returns each slot's choice before capacity dropping ({@code [T·S]}, -1 = none). Do not
     * modify.
     *
     * @return the slot choices
     */
    public int[] getChoices() {
        return choices;
    }

    /**
     * Returns E.
     *
     * @return the number of real experts
     */
    public int getNumExperts() {
        return numExperts;
    }

    /**
     * Returns T.
     *
     * @return the number of tokens
     */
    public int getNumTokens() {
        return numTokens;
    }

    /**
     * Returns S.
     *
     * @return the slots per token
     */
    public int getNumSlots() {
        return numSlots;
    }

    /**
     * Returns the tokens per routing group (a sequence, or a capacity group).
     *
     * @return the group size
     */
    public int getGroupSize() {
        return groupSize;
    }

    /**
     * Returns the capacity per expert and group, or -1 for dropless routing.
     *
     * @return the capacity
     */
    public int getCapacity() {
        return capacity;
    }

    /**
     * Counts the assignments each real expert processes (after dropping).
     *
     * @return tokens per expert, length E
     */
    public long[] tokensPerExpert() {
        return count(experts, numExperts);
    }

    /**
     * Counts each choice before dropping, over all E' router outputs (null experts included).
     *
     * @param numChoices E'
     * @return choices per expert, length E'
     */
    public long[] choicesPerExpert(int numChoices) {
        return count(choices, numChoices);
    }

    /**
     * Returns the number of choices that were dropped for capacity (not counting null experts).
     *
     * @return the dropped assignments
     */
    public int droppedAssignments() {
        int dropped = 0;
        for (int i = 0; i < experts.length; i++) {
            if (experts[i] < 0 && choices[i] >= 0 && choices[i] < numExperts) {
                dropped++;
            }
        }
        return dropped;
    }

    private static long[] count(int[] ids, int n) {
        long[] counts = new long[n];
        for (int id : ids) {
            if (id >= 0 && id < n) {
                counts[id]++;
            }
        }
        return counts;
    }

    private static float[] toHost(NDArray array) {
        return array.stopGradient().toType(DataType.FLOAT32, false).toFloatArray();
    }
}
