package io.moezoo.recipes.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.translators.reward.EncodedResponse;
import io.moezoo.translators.reward.InvalidRewardInputException;
import io.moezoo.translators.reward.RewardEncoding;
import java.util.List;
import java.util.Locale;

/**
 * The frozen language model's statistics of every response of a list of pairs, computed once: every
 * training stage of {@link LmRewardTraining} reads them instead of running the language model again
 * (the features do not change while the heads train).
 *
 * @param statistics {@code [2N][F]}: row {@code 2i} is pair i's chosen response, {@code 2i + 1} its
 *     rejected one
 * @param promptStates {@code [N][H]}: pair i's prompt state (both responses share the prompt)
 */
record LmFeatureCache(float[][] statistics, float[][] promptStates) {

    private static final int BATCH = 32;

    /**
     * Runs the feature block over the pairs.
     *
     * @param root the manager the passes descend from
     * @param features the frozen feature block (initialised, weights loaded)
     * @param encoding the reward model's encoding
     * @param pairs the pairs
     * @param label what the pairs are, for the progress line
     * @return the cache
     * @throws InvalidRewardInputException if a pair does not fit the encoding
     */
    static LmFeatureCache compute(
            NDManager root,
            LanguageModelFeatures features,
            RewardEncoding encoding,
            List<RewardPair> pairs,
            String label)
            throws InvalidRewardInputException {
        int n = pairs.size();
        float[][] statistics = new float[2 * n][];
        float[][] prompts = new float[n][];
        long start = System.nanoTime();
        int rows = 2 * n;
        for (int from = 0; from < rows; from += BATCH) {
            int to = Math.min(rows, from + BATCH);
            int length = encoding.sequenceLength();
            long[] ids = new long[(to - from) * length];
            float[] promptMask = new float[ids.length];
            float[] responseMask = new float[ids.length];
            for (int row = from; row < to; row++) {
                RewardPair p = pairs.get(row / 2);
                EncodedResponse e =
                        row % 2 == 0
                                ? encoding.encode(p.prompt(), p.chosen(), "chosen")
                                : encoding.encode(p.prompt(), p.rejected(), "rejected");
                int at = (row - from) * length;
                System.arraycopy(e.ids(), 0, ids, at, length);
                System.arraycopy(e.promptMask(), 0, promptMask, at, length);
                System.arraycopy(e.responseMask(), 0, responseMask, at, length);
            }
            try (NDManager scope = root.newSubManager()) {
                long b = to - from;
                NDList out =
                        features.forward(
                                new ParameterStore(scope, false),
                                new NDList(
                                        scope.create(ids).reshape(b, length),
                                        scope.create(promptMask).reshape(b, length),
                                        scope.create(responseMask).reshape(b, length)),
                                false);
                float[][] s = rowsOf(out.get(0));
                float[][] h = rowsOf(out.get(1));
                for (int row = from; row < to; row++) {
                    statistics[row] = s[row - from];
                    if (row % 2 == 0) {
                        prompts[row / 2] = h[row - from];
                    }
                }
            }
            if ((from / BATCH) % 50 == 0) {
                System.err.printf(
                        Locale.ROOT,
                        "%s features: %d / %d responses, %.0f s%n",
                        label,
                        to,
                        rows,
                        (System.nanoTime() - start) / 1e9);
            }
        }
        return new LmFeatureCache(statistics, prompts);
    }

    private static float[][] rowsOf(NDArray array) {
        int rows = Math.toIntExact(array.getShape().get(0));
        int cols = Math.toIntExact(array.getShape().get(1));
        float[] flat = array.toFloatArray();
        float[][] out = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    /**
     * Returns the statistics of the given responses as one flat array.
     *
     * @param rowsWanted response rows ({@code 2i}, {@code 2i + 1})
     * @return {@code [rows.length * F]}
     */
    float[] statistics(int[] rowsWanted) {
        int f = statistics[0].length;
        float[] out = new float[rowsWanted.length * f];
        for (int i = 0; i < rowsWanted.length; i++) {
            System.arraycopy(statistics[rowsWanted[i]], 0, out, i * f, f);
        }
        return out;
    }

    /**
     * Returns the prompt states of the given pairs as one flat array.
     *
     * @param pairIndices pair indices
     * @return {@code [pairIndices.length * H]}
     */
    float[] promptStates(int[] pairIndices) {
        int h = promptStates[0].length;
        float[] out = new float[pairIndices.length * h];
        for (int i = 0; i < pairIndices.length; i++) {
            System.arraycopy(promptStates[pairIndices[i]], 0, out, i * h, h);
        }
        return out;
    }
}
