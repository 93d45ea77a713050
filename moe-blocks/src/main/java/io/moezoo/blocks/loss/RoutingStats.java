package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moezoo.blocks.routing.RoutingDecision;

/** Per-group statistics shared by the losses: choice frequencies and mean scores. */
final class RoutingStats {

    private RoutingStats() {}

    /**
     * Counts each group's choices over the given slots as a constant {@code [G, E']}.
     *
     * @param d the decision
     * @param numChoices E'
     * @param slots how many leading slots to count (1 = top-1 only)
     * @param manager the manager of the result
     * @return counts per group and router output
     */
    static NDArray groupCounts(RoutingDecision d, int numChoices, int slots, NDManager manager) {
        int groups = d.getNumTokens() / d.getGroupSize();
        int s = d.getNumSlots();
        float[] counts = new float[groups * numChoices];
        int[] choices = d.getChoices();
        for (int t = 0; t < d.getNumTokens(); t++) {
            int g = t / d.getGroupSize();
            for (int j = 0; j < slots; j++) {
                int c = choices[t * s + j];
                if (c >= 0) {
                    counts[g * numChoices + c]++;
                }
            }
        }
        return manager.create(counts, new Shape(groups, numChoices));
    }

    /**
     * Averages per-token values over each group: {@code [T, E'] -> [G, E']}.
     *
     * @param values per-token values
     * @param groupSize tokens per group
     * @return group means
     */
    static NDArray groupMean(NDArray values, int groupSize) {
        long t = values.getShape().get(0);
        long e = values.getShape().get(1);
        return values.reshape(t / groupSize, groupSize, e).mean(new int[] {1});
    }

    /**
     * Returns the squared coefficient of variation along the last axis, \(\mathrm{Var}(x) /
     * (\mathrm{mean}(x)^2 + 10^{-10})\) with the population variance.
     *
     * @param x {@code [G, E]}
     * @return {@code [G]}
     */
    static NDArray cvSquared(NDArray x) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray variance = x.sub(mean).square().mean(new int[] {-1});
        return variance.div(mean.squeeze(-1).square().add(1e-10f));
    }

    /**
     * Converts counts to a float constant.
     *
     * @param counts the counts
     * @param manager the manager of the result
     * @return {@code [n]}
     */
    static NDArray constant(long[] counts, NDManager manager) {
        float[] f = new float[counts.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = counts[i];
        }
        return manager.create(f);
    }
}
