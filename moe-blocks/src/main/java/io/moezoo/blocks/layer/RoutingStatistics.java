package io.moezoo.blocks.layer;

import ai.djl.ndarray.NDArray;
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
 */
public record RoutingStatistics(
        int tokens,
        long[] tokensPerExpert,
        int droppedAssignments,
        int nullAssignments,
        double routerEntropy) {

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
                d.getNumTokens(), d.tokensPerExpert(), d.droppedAssignments(), nulls, entropy);
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
