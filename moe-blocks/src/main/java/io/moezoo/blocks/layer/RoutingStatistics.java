package io.moezoo.blocks.layer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
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
        NDArray p = d.getScores().stopGradient();
        p = p.div(p.sum(new int[] {-1}, true).add(1e-20f));
        double entropy = p.mul(p.add(1e-20f).log()).sum(new int[] {-1}).mean().neg().getFloat();
        return new RoutingStatistics(
                d.getNumTokens(),
                d.tokensPerExpert(),
                d.droppedAssignments(),
                nulls,
                entropy,
                d.getExperts().clone(),
                d.getWeights().stopGradient().toType(DataType.FLOAT32, false).toFloatArray());
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
