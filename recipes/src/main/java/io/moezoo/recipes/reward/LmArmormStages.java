package io.moezoo.recipes.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.moezoo.blocks.surgery.WeightAssignment;
import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.models.reward.LmArmoRewardModel;
import io.moezoo.models.reward.PairwiseLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * ArmoRM's two stages for {@link LmArmoRewardModel} on cached language-model features: (1) one
 * ridge regression per objective on the standardised statistics of that objective's training pairs
 * (chosen +1, rejected −1), its penalty α chosen by the validation pairs' squared error; (2) with
 * the regression frozen, the gating network over the prompt's mean hidden state, trained with the
 * pairwise loss on all training pairs.
 */
final class LmArmormStages {

    /** The ridge penalties tried per objective. */
    static final double[] ALPHAS = {1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4};

    private static final int F = LanguageModelFeatures.COUNT;

    private LmArmormStages() {}

    /**
     * Fits the regression.
     *
     * @return the chosen α of every objective
     */
    static Map<String, Double> fitRegression(
            NDManager root,
            LmArmoRewardModel model,
            LmFeatureCache train,
            List<RewardPair> trainPairs,
            LmFeatureCache validation,
            List<RewardPair> validationPairs,
            float[][] standardization) {
        float[] x = standardized(train, standardization);
        float[] xv = standardized(validation, standardization);
        int c = CapabilityDimension.values().length;
        float[] weights = new float[c * F];
        Map<String, Double> chosen = new LinkedHashMap<>();
        for (CapabilityDimension d : CapabilityDimension.values()) {
            int[] fit = ArmormStages.rowsOf(pairsOf(trainPairs, d));
            double[] y = ArmormStages.targets(pairsOf(trainPairs, d));
            int[] check = ArmormStages.rowsOf(pairsOf(validationPairs, d));
            double[] yv = ArmormStages.targets(pairsOf(validationPairs, d));
            double best = Double.POSITIVE_INFINITY;
            double[] bestW = null;
            for (double alpha : ALPHAS) {
                double[] w = RidgeRegression.fit(x, F, fit, y, alpha);
                double mse = RidgeRegression.mse(xv, F, check, yv, w);
                if (mse < best) {
                    best = mse;
                    bestW = w;
                    chosen.put(d.id(), alpha);
                }
            }
            for (int j = 0; j < F; j++) {
                weights[d.ordinal() * F + j] = (float) bestW[j];
            }
        }
        try (NDManager scope = root.newSubManager()) {
            WeightAssignment.assign(model.getRegression(), scope.create(weights, new Shape(c, F)));
        }
        return chosen;
    }

    /**
     * Trains the gating network.
     *
     * @return the last step's loss
     */
    static float trainGating(
            NDManager root,
            LmArmoRewardModel model,
            LmFeatureCache cache,
            List<RewardPair> pairs,
            int steps,
            float learningRate,
            Random rng) {
        List<Parameter> trainable = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getGating().getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
            }
        }
        return OptimiserSteps.train(
                root,
                trainable,
                learningRate,
                steps,
                pairs.size(),
                RewardModelTraining.GATING_BATCH,
                rng,
                (scope, ps, batch) -> {
                    NDArray r = scores(scope, ps, model, cache, batch, true).reshape(-1, 2);
                    return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                });
    }

    /** Scores every pair as inference does. */
    static RewardEvaluation evaluate(
            NDManager root, LmArmoRewardModel model, LmFeatureCache cache, List<RewardPair> pairs) {
        boolean[] correct = new boolean[pairs.size()];
        for (int from = 0; from < pairs.size(); from += 256) {
            int[] batch = new int[Math.min(pairs.size(), from + 256) - from];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = from + i;
            }
            try (NDManager scope = root.newSubManager()) {
                ParameterStore ps = new ParameterStore(scope, false);
                float[] r = scores(scope, ps, model, cache, batch, false).toFloatArray();
                for (int i = 0; i < batch.length; i++) {
                    correct[from + i] = r[2 * i] > r[2 * i + 1];
                }
            }
        }
        return RewardEvaluation.of(pairs, correct, null);
    }

    /** The scores of both responses of each pair, {@code [2 * batch]}: chosen, rejected. */
    private static NDArray scores(
            NDManager scope,
            ParameterStore ps,
            LmArmoRewardModel model,
            LmFeatureCache cache,
            int[] pairIndices,
            boolean training) {
        int[] rows = new int[2 * pairIndices.length];
        int[] prompts = new int[rows.length];
        for (int i = 0; i < pairIndices.length; i++) {
            rows[2 * i] = 2 * pairIndices[i];
            rows[2 * i + 1] = 2 * pairIndices[i] + 1;
            prompts[2 * i] = pairIndices[i];
            prompts[2 * i + 1] = pairIndices[i];
        }
        int h = cache.promptStates()[0].length;
        NDArray statistics = scope.create(cache.statistics(rows)).reshape(rows.length, F);
        NDArray states = scope.create(cache.promptStates(prompts)).reshape(rows.length, h);
        return model.score(ps, statistics, states, training).head();
    }

    private static List<Integer> pairsOf(List<RewardPair> pairs, CapabilityDimension d) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (pairs.get(i).dimension() == d) {
                out.add(i);
            }
        }
        return out;
    }

    /** Every response's statistics, standardised, row-major {@code [2 * pairs, F]}. */
    private static float[] standardized(LmFeatureCache cache, float[][] standardization) {
        float[][] s = cache.statistics();
        float[] out = new float[s.length * F];
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < F; j++) {
                out[i * F + j] = (s[i][j] - standardization[0][j]) / standardization[1][j];
            }
        }
        return out;
    }
}
