package io.moezoo.translators.reward;

import java.util.Map;

/**
 * A reward model's verdict on one (prompt, response).
 *
 * @param score the scalar reward r (higher is better; only differences between responses to the
 *     same prompt are meaningful)
 * @param objectiveScores one score per capability dimension, in the model's objective order:
 *     ArmoRM's transformed regression rewards r', DMoERM's per-expert value-head scores
 * @param objectiveWeights ArmoRM's gating weights (non-negative, summing to 1; the score is
 *     \(\sum_i g_i r'_i\)); empty for models without gating
 * @param category the task category the outer router chose (DMoERM), or null
 * @param categoryProbabilities the router's softmax over categories (DMoERM), or empty
 */
public record RewardScore(
        float score,
        Map<String, Float> objectiveScores,
        Map<String, Float> objectiveWeights,
        String category,
        Map<String, Float> categoryProbabilities) {

    /**
     * Copies the maps so the record is immutable.
     *
     * @param score the reward
     * @param objectiveScores per-objective scores
     * @param objectiveWeights per-objective gating weights
     * @param category the routed category
     * @param categoryProbabilities the router's probabilities
     */
    public RewardScore {
        objectiveScores = Map.copyOf(objectiveScores);
        objectiveWeights = Map.copyOf(objectiveWeights);
        categoryProbabilities = Map.copyOf(categoryProbabilities);
    }
}
