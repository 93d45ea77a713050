package io.moezoo.translators.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a reward model's named outputs: {@value #SCORE} {@code [B]}, {@value #OBJECTIVE_SCORES}
 * {@code [B, C]}, and optionally {@value #OBJECTIVE_WEIGHTS} {@code [B, C]} (gating) and {@value
 * #CATEGORY_PROBABILITIES} {@code [B, G]} (outer router). The batch axis may be absent (one sample
 * after unbatchifying).
 */
public final class RewardOutputs {

    /** The name of the scalar reward output. */
    public static final String SCORE = "score";

    /** The name of the per-objective score output. */
    public static final String OBJECTIVE_SCORES = "objective_scores";

    /** The name of the per-objective gating-weight output. */
    public static final String OBJECTIVE_WEIGHTS = "objective_weights";

    /** The name of the router's category-probability output. */
    public static final String CATEGORY_PROBABILITIES = "category_probabilities";

    private RewardOutputs() {}

    /**
     * Names the outputs of a model with an outer router, in the order {@link #read} expects.
     *
     * @param score {@link #SCORE} {@code [B]}
     * @param objectiveScores {@link #OBJECTIVE_SCORES} {@code [B, C]}
     * @param categoryProbabilities {@link #CATEGORY_PROBABILITIES} {@code [B, G]}
     * @return the named outputs
     */
    public static NDList routed(
            NDArray score, NDArray objectiveScores, NDArray categoryProbabilities) {
        score.setName(SCORE);
        objectiveScores.setName(OBJECTIVE_SCORES);
        categoryProbabilities.setName(CATEGORY_PROBABILITIES);
        return new NDList(score, objectiveScores, categoryProbabilities);
    }

    /**
     * Forms and names the outputs of a gated multi-objective model (ArmoRM): the score is the
     * gate-weighted sum of the objective rewards, \(s = \sum_c g_c r_c\).
     *
     * @param objectiveScores the rewards r {@code [B, C]}, named {@link #OBJECTIVE_SCORES}
     * @param objectiveWeights the gates g {@code [B, C]}, named {@link #OBJECTIVE_WEIGHTS}
     * @return {@code [score [B], r, g]}, named, in the order {@link #read} expects
     */
    public static NDList gated(NDArray objectiveScores, NDArray objectiveWeights) {
        NDArray score = objectiveWeights.mul(objectiveScores).sum(new int[] {1});
        score.setName(SCORE);
        objectiveScores.setName(OBJECTIVE_SCORES);
        objectiveWeights.setName(OBJECTIVE_WEIGHTS);
        return new NDList(score, objectiveScores, objectiveWeights);
    }

    /**
     * Reads one row of the outputs.
     *
     * @param out the model outputs
     * @param row the batch row (0 when there is no batch axis)
     * @param objectives the objective names, in output order
     * @param categories the category names, in output order (empty if the model has no router)
     * @return the score
     * @throws IllegalStateException if an output is missing or has the wrong size
     */
    public static RewardScore read(
            NDList out, int row, List<String> objectives, List<String> categories) {
        float score = values(out, SCORE, 1)[row];
        Map<String, Float> scores =
                named(values(out, OBJECTIVE_SCORES, objectives.size()), row, objectives);
        Map<String, Float> weights =
                out.contains(OBJECTIVE_WEIGHTS)
                        ? named(values(out, OBJECTIVE_WEIGHTS, objectives.size()), row, objectives)
                        : Map.of();
        Map<String, Float> probabilities = Map.of();
        String category = null;
        if (out.contains(CATEGORY_PROBABILITIES)) {
            float[] p = values(out, CATEGORY_PROBABILITIES, categories.size());
            probabilities = named(p, row, categories);
            int best = 0;
            for (int g = 1; g < categories.size(); g++) {
                if (p[row * categories.size() + g] > p[row * categories.size() + best]) {
                    best = g;
                }
            }
            category = categories.get(best);
        }
        return new RewardScore(score, scores, weights, category, probabilities);
    }

    private static float[] values(NDList out, String name, int width) {
        if (!out.contains(name)) {
            throw new IllegalStateException("The reward model returned no '" + name + "' output");
        }
        NDArray array = out.get(name);
        float[] values = array.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        if (width == 0 || values.length % width != 0) {
            throw new IllegalStateException(
                    "Output '" + name + "' has " + values.length + " values, not rows of " + width);
        }
        return values;
    }

    private static Map<String, Float> named(float[] values, int row, List<String> names) {
        Map<String, Float> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(names.get(i), values[row * names.size() + i]);
        }
        return map;
    }
}
