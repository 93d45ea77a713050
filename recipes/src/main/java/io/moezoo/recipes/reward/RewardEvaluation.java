package io.moezoo.recipes.reward;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out pairwise accuracy: the fraction of pairs with \(r_{chosen} > r_{rejected}\), overall
 * ({@code accuracy}), per capability dimension ({@code accuracy_<dimension>}) and per genre
 * category ({@code accuracy_<category>}); for routed models also the outer router's accuracy on the
 * category ({@code router_accuracy}). Also {@code pairs}, the number of pairs.
 *
 * @param metrics the metrics by name
 */
public record RewardEvaluation(Map<String, Double> metrics) {

    /**
     * Copies the map.
     *
     * @param metrics the metrics
     */
    public RewardEvaluation {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * Summarises per-pair outcomes.
     *
     * @param pairs the pairs
     * @param correct per pair, whether the chosen response scored higher
     * @param routed per pair, the category the router chose for the chosen response, or null
     * @return the evaluation
     * @throws IllegalArgumentException if the lengths differ or there are no pairs
     */
    public static RewardEvaluation of(List<RewardPair> pairs, boolean[] correct, String[] routed) {
        if (pairs.isEmpty()
                || pairs.size() != correct.length
                || (routed != null && routed.length != correct.length)) {
            throw new IllegalArgumentException("Need one outcome per pair and at least one pair");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", accuracy(pairs, correct, p -> true));
        for (CapabilityDimension d : CapabilityDimension.values()) {
            metrics.put("accuracy_" + d.id(), accuracy(pairs, correct, p -> p.dimension() == d));
        }
        for (GenreCategory g : GenreCategory.values()) {
            metrics.put("accuracy_" + g.id(), accuracy(pairs, correct, p -> p.category() == g));
        }
        if (routed != null) {
            int hit = 0;
            for (int i = 0; i < routed.length; i++) {
                if (pairs.get(i).category().id().equals(routed[i])) {
                    hit++;
                }
            }
            metrics.put("router_accuracy", hit / (double) routed.length);
        }
        metrics.put("pairs", (double) pairs.size());
        return new RewardEvaluation(metrics);
    }

    private static double accuracy(
            List<RewardPair> pairs,
            boolean[] correct,
            java.util.function.Predicate<RewardPair> keep) {
        int n = 0;
        int hit = 0;
        for (int i = 0; i < correct.length; i++) {
            if (keep.test(pairs.get(i))) {
                n++;
                hit += correct[i] ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : hit / (double) n;
    }
}
