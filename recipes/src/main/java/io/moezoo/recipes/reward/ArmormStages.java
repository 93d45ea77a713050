package io.moezoo.recipes.reward;

import static io.moezoo.recipes.reward.OptimiserSteps.sample;
import static io.moezoo.recipes.reward.OptimiserSteps.step;
import static io.moezoo.recipes.reward.RewardModelTraining.ENCODER;
import static io.moezoo.recipes.reward.RewardModelTraining.GATING_BATCH;
import static io.moezoo.recipes.reward.RewardModelTraining.GATING_STEPS;
import static io.moezoo.recipes.reward.RewardModelTraining.LEARNING_RATE;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.moezoo.blocks.surgery.WeightAssignment;
import io.moezoo.models.reward.ArmoRewardModel;
import io.moezoo.models.reward.PairwiseLoss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * ArmoRM's stages (stage 5 of {@link RewardModelTraining}): ridge regression per objective with α
 * chosen on held-out training files, then the gating network with the pairwise loss.
 */
final class ArmormStages {

    private ArmormStages() {}

    static void fitRegression(
            NDManager root, ArmoRewardModel model, ResponseCache cache, List<RewardPair> pairs) {
        int h = ENCODER.hiddenSize();
        int c = CapabilityDimension.values().length;
        float[] z = cache.responseEmbeddingValues();
        double[][] weights = new double[c][];
        double[] alphas = {1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4};
        Map<String, Double> chosenAlpha = new LinkedHashMap<>();
        for (CapabilityDimension d : CapabilityDimension.values()) {
            List<Integer> fit = new ArrayList<>();
            List<Integer> validation = new ArrayList<>();
            List<Integer> both = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                RewardPair p = pairs.get(i);
                if (p.dimension() == d) {
                    both.add(i);
                    (Math.abs(p.file().hashCode()) % 5 == 4 ? validation : fit).add(i);
                }
            }
            double best = Double.POSITIVE_INFINITY;
            double bestAlpha = alphas[0];
            for (double alpha : alphas) {
                double[] w = RidgeRegression.fit(z, h, rowsOf(fit), targets(fit), alpha);
                double mse = RidgeRegression.mse(z, h, rowsOf(validation), targets(validation), w);
                if (mse < best) {
                    best = mse;
                    bestAlpha = alpha;
                }
            }
            chosenAlpha.put(d.id(), bestAlpha);
            weights[d.ordinal()] =
                    RidgeRegression.fit(z, h, rowsOf(both), targets(both), bestAlpha);
        }
        System.err.println("ridge alphas " + chosenAlpha);
        float[] flat = new float[c * h];
        for (int d = 0; d < c; d++) {
            for (int j = 0; j < h; j++) {
                flat[d * h + j] = (float) weights[d][j];
            }
        }
        try (NDManager scope = root.newSubManager()) {
            WeightAssignment.assign(model.getRegression(), scope.create(flat, new Shape(c, h)));
        }
    }

    /** Cache rows of pairs: chosen 2i, rejected 2i + 1. */
    static int[] rowsOf(List<Integer> pairs) {
        int[] rows = new int[2 * pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            rows[2 * i] = 2 * pairs.get(i);
            rows[2 * i + 1] = 2 * pairs.get(i) + 1;
        }
        return rows;
    }

    /** Regression targets of rowsOf: +1 for chosen, -1 for rejected. */
    static double[] targets(List<Integer> pairs) {
        double[] y = new double[2 * pairs.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2 == 0 ? 1 : -1;
        }
        return y;
    }

    static void trainGating(
            NDManager root,
            ArmoRewardModel model,
            ResponseCache cache,
            List<RewardPair> pairs,
            Random rng) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            all.add(i);
        }
        List<Parameter> trainable = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getGating().getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
            }
        }
        Optimizer optimizer =
                Optimizer.adam()
                        .optLearningRateTracker(
                                Tracker.cosine()
                                        .setBaseValue(LEARNING_RATE)
                                        .optFinalValue(0f)
                                        .setMaxUpdates(GATING_STEPS)
                                        .build())
                        .build();
        for (int s = 0; s < GATING_STEPS; s++) {
            int[] batch = sample(all, GATING_BATCH, rng);
            float loss =
                    step(
                            root,
                            trainable,
                            optimizer,
                            (scope, ps) -> {
                                NDArray r =
                                        model.score(
                                                        ps,
                                                        cache.promptEmbeddings(scope, batch),
                                                        cache.responseEmbeddings(scope, batch),
                                                        true)
                                                .head()
                                                .reshape(-1, 2);
                                return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                            });
            if (s % 250 == 0 || s == GATING_STEPS - 1) {
                System.err.printf(Locale.ROOT, "gating step %d loss %.3f%n", s, loss);
            }
        }
    }
}
