package io.moezoo.recipes.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.models.reward.LmDoubleLayerRewardModel;
import io.moezoo.models.reward.PairwiseLoss;
import java.util.List;
import java.util.Random;

/**
 * The three DMoERM training phases of {@link LmDoubleLayerRewardModel} on cached language-model
 * features: (1) the outer router learns each prompt's genre category; (2) each capability expert
 * (g, c) learns, through its value head, the pairs of category g and dimension c; (3) with the
 * experts frozen, each category's aggregation MLP learns all pairs of its category. Training routes
 * every pair to its true category, as DMoERM does; evaluation routes by the router.
 */
final class LmRewardStages {

    private static final int BATCH = 64;

    private LmRewardStages() {}

    static void trainRouter(
            NDManager root,
            LmDoubleLayerRewardModel model,
            LmFeatureCache cache,
            List<RewardPair> pairs,
            int steps,
            float learningRate,
            Random rng) {
        int h = cache.promptStates()[0].length;
        OptimiserSteps.train(
                root,
                model.routerParameters(),
                learningRate,
                steps,
                pairs.size(),
                256,
                rng,
                (scope, ps, batch) -> {
                    long[] labels = new long[batch.length];
                    for (int i = 0; i < batch.length; i++) {
                        labels[i] = pairs.get(batch[i]).category().ordinal();
                    }
                    NDArray states =
                            scope.create(cache.promptStates(batch)).reshape(batch.length, h);
                    return model.routerLogits(ps, states, true)
                            .logSoftmax(1)
                            .gather(scope.create(labels).reshape(-1, 1), 1)
                            .mean()
                            .neg();
                });
    }

    static float trainExperts(
            NDManager root,
            LmDoubleLayerRewardModel model,
            LmFeatureCache cache,
            List<RewardPair> pairs,
            int steps,
            float learningRate,
            Random rng) {
        int g = model.getSpec().categories().size();
        int c = model.getSpec().objectives().size();
        return OptimiserSteps.train(
                root,
                model.expertParameters(),
                learningRate,
                steps,
                pairs.size(),
                BATCH,
                rng,
                (scope, ps, batch) -> {
                    float[] pick = new float[batch.length * g * c];
                    for (int i = 0; i < batch.length; i++) {
                        RewardPair p = pairs.get(batch[i]);
                        pick[(i * g + p.category().ordinal()) * c + p.dimension().ordinal()] = 1f;
                    }
                    NDArray experts =
                            model.expertFeatures(ps, statistics(scope, cache, batch), true);
                    return pickedPairwiseLoss(scope, model.valueHeads(ps, experts, true), pick);
                });
    }

    static float trainAggregators(
            NDManager root,
            LmDoubleLayerRewardModel model,
            LmFeatureCache cache,
            List<RewardPair> pairs,
            int[] categories,
            int steps,
            float learningRate,
            Random rng) {
        int g = model.getSpec().categories().size();
        return OptimiserSteps.train(
                root,
                model.aggregatorParameters(),
                learningRate,
                steps,
                pairs.size(),
                BATCH,
                rng,
                (scope, ps, batch) -> {
                    float[] pick = new float[batch.length * g];
                    for (int i = 0; i < batch.length; i++) {
                        pick[i * g + categories[batch[i]]] = 1f;
                    }
                    NDArray experts =
                            model.expertFeatures(ps, statistics(scope, cache, batch), false)
                                    .stopGradient();
                    return pickedPairwiseLoss(scope, model.aggregate(ps, experts, true), pick);
                });
    }

    /**
     * The pairwise loss of one score per pair, picked from several by a one-hot mask.
     *
     * @param scores {@code [2N, ...]}: chosen and rejected rows of N pairs, K scores each
     * @param pick the one-hot mask {@code [N * K]}: which of the K scores each pair is scored by
     */
    private static NDArray pickedPairwiseLoss(NDManager scope, NDArray scores, float[] pick) {
        long n = scores.getShape().get(0) / 2;
        NDArray r =
                scores.reshape(n, 2, -1)
                        .mul(scope.create(pick).reshape(n, 1, -1))
                        .sum(new int[] {2});
        return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
    }

    /** Each pair's true genre category. */
    static int[] trueCategories(List<RewardPair> pairs) {
        return pairs.stream().mapToInt(p -> p.category().ordinal()).toArray();
    }

    /** Each pair's category as the trained router predicts it. */
    static int[] routedCategories(
            NDManager root, LmDoubleLayerRewardModel model, LmFeatureCache cache, int pairs) {
        int[] out = new int[pairs];
        int h = cache.promptStates()[0].length;
        for (int from = 0; from < pairs; from += 256) {
            int[] batch = range(from, Math.min(pairs, from + 256));
            try (NDManager scope = root.newSubManager()) {
                long[] k =
                        model.routerLogits(
                                        new ParameterStore(scope, false),
                                        scope.create(cache.promptStates(batch))
                                                .reshape(batch.length, h),
                                        false)
                                .argMax(1)
                                .toLongArray();
                for (int i = 0; i < batch.length; i++) {
                    out[from + i] = (int) k[i];
                }
            }
        }
        return out;
    }

    /**
     * Scores every pair as inference does: the router picks the category, its aggregator scores.
     *
     * @return the evaluation, with the routed category of every pair
     */
    static RewardEvaluation evaluate(
            NDManager root,
            LmDoubleLayerRewardModel model,
            LmFeatureCache cache,
            List<RewardPair> pairs) {
        int[] category = routedCategories(root, model, cache, pairs.size());
        boolean[] correct = new boolean[pairs.size()];
        String[] routed = new String[pairs.size()];
        List<String> names = model.getSpec().categories();
        int g = names.size();
        for (int from = 0; from < pairs.size(); from += 256) {
            int[] batch = range(from, Math.min(pairs.size(), from + 256));
            try (NDManager scope = root.newSubManager()) {
                ParameterStore ps = new ParameterStore(scope, false);
                float[] r =
                        model.aggregate(
                                        ps,
                                        model.expertFeatures(
                                                ps, statistics(scope, cache, batch), false),
                                        false)
                                .toFloatArray();
                for (int i = 0; i < batch.length; i++) {
                    int k = category[from + i];
                    correct[from + i] = r[(2 * i) * g + k] > r[(2 * i + 1) * g + k];
                    routed[from + i] = names.get(k);
                }
            }
        }
        return RewardEvaluation.of(pairs, correct, routed);
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /** The statistics of both responses of each pair, rows {@code [2 * batch, F]}. */
    private static NDArray statistics(NDManager scope, LmFeatureCache cache, int[] pairIndices) {
        int[] rows = new int[2 * pairIndices.length];
        for (int i = 0; i < pairIndices.length; i++) {
            rows[2 * i] = 2 * pairIndices[i];
            rows[2 * i + 1] = 2 * pairIndices[i] + 1;
        }
        return scope.create(cache.statistics(rows))
                .reshape(rows.length, LanguageModelFeatures.COUNT);
    }
}
