package io.moezoo.blocks.layer;

import io.moezoo.blocks.routing.RoutingDecision;

/**
 * Host-side routing statistics of one forward pass of one MoE layer, for logging and plots.
 *
 * @param tokens T, the tokens routed
 * @param tokensPerExpert the assignments each expert processed (after dropping)
 * @param droppedAssignments the choices dropped for capacity
 * @param nullAssignments the choices of null experts
 * @param routerEntropy the mean entropy (nats) of the per-token expert distribution (scores
 *     normalised to sum to one)
 * @param slotExperts the expert of each routing slot, row-major {@code [T·S]} (-1 = empty or
 *     dropped slot), for per-token views such as a routing heatmap
 * @param slotWeights the combine weight of each slot, {@code [T·S]}
 */
public record RoutingStatistics(
        int tokens,
        long[] tokensPerExpert,
        int droppedAssignments,
        int nullAssignments,
        double routerEntropy,
        int[] slotExperts,
        float[] slotWeights) {

    /**
     * Computes the statistics of a decision.
     *
     * @param d the decision
     * @return the statistics
     */
    public static RoutingStatistics of(RoutingDecision d) {
        int nulls = 0;
        for (int c : d.getChoices()) {
            if (c >= d.getNumExperts()) {
                nulls++;
            }
        }
        // Host copies (made once per decision, none for a host decision); the entropy is computed
        // here rather than by a chain of engine operations, so recording costs little per forward.
        float[] scores = d.getScoresOnHost();
        int tokens = d.getNumTokens();
        double entropy = tokens == 0 ? 0 : meanEntropy(scores, scores.length / tokens);
        return new RoutingStatistics(
                tokens,
                d.tokensPerExpert(),
                d.droppedAssignments(),
                nulls,
                entropy,
                d.getExperts().clone(),
                d.getWeightsOnHost().clone());
    }

    /**
     * The mean over rows of the entropy (nats) of each row normalised to sum to one.
     *
     * @param scores row-major {@code [T, E]} non-negative scores
     * @param width E
     * @return the mean entropy
     */
    static double meanEntropy(float[] scores, int width) {
        int rows = scores.length / width;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double sum = 1e-20;
            for (int e = 0; e < width; e++) {
                sum += scores[r * width + e];
            }
            for (int e = 0; e < width; e++) {
                double q = scores[r * width + e] / sum;
                total -= q * Math.log(q + 1e-20);
            }
        }
        return total / rows;
    }

    /**
     * Returns the dense routing matrix: entry {@code [t][e]} is the combine weight token t gives
     * expert e (0 when e was not chosen, or was dropped).
     *
     * @return a {@code [T][E]} matrix
     */
    public float[][] tokenExpertWeights() {
        int experts = tokensPerExpert.length;
        int slots = tokens == 0 ? 0 : slotExperts.length / tokens;
        float[][] w = new float[tokens][experts];
        for (int t = 0; t < tokens; t++) {
            for (int s = 0; s < slots; s++) {
                int e = slotExperts[t * slots + s];
                if (e >= 0 && e < experts) {
                    w[t][e] += slotWeights[t * slots + s];
                }
            }
        }
        return w;
    }

    /**
     * Returns each expert's share of the processed assignments.
     *
     * @return the load fractions, summing to one (or all zero)
     */
    public double[] loadFractions() {
        long total = 0;
        for (long c : tokensPerExpert) {
            total += c;
        }
        double[] f = new double[tokensPerExpert.length];
        for (int e = 0; e < f.length && total > 0; e++) {
            f[e] = (double) tokensPerExpert[e] / total;
        }
        return f;
    }
}
