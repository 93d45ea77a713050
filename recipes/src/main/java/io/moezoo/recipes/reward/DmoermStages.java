package io.moezoo.recipes.reward;

import static io.moezoo.recipes.reward.OptimiserSteps.adam;
import static io.moezoo.recipes.reward.OptimiserSteps.sample;
import static io.moezoo.recipes.reward.OptimiserSteps.step;
import static io.moezoo.recipes.reward.RewardModelTraining.ADAPTER_LEARNING_RATE;
import static io.moezoo.recipes.reward.RewardModelTraining.AGGREGATOR_BATCH;
import static io.moezoo.recipes.reward.RewardModelTraining.AGGREGATOR_STEPS;
import static io.moezoo.recipes.reward.RewardModelTraining.ENCODE_BATCH;
import static io.moezoo.recipes.reward.RewardModelTraining.EXPERT_STEPS;
import static io.moezoo.recipes.reward.RewardModelTraining.HEAD_LEARNING_RATE;
import static io.moezoo.recipes.reward.RewardModelTraining.PAIR_BATCH;
import static io.moezoo.recipes.reward.RewardModelTraining.ROUTER_LEARNING_RATE;
import static io.moezoo.recipes.reward.RewardModelTraining.ROUTER_STEPS;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import io.moezoo.models.reward.DenseRewardModel;
import io.moezoo.models.reward.DoubleLayerMoeRewardModel;
import io.moezoo.models.reward.PairwiseLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * DMoERM's stages (stage 3 of {@link RewardModelTraining}): the outer router, each LoRA expert
 * alone on its category and dimension, then each category's aggregation MLP over frozen experts;
 * and the dense LoRA baseline trained end to end for as many steps.
 */
final class DmoermStages {

    private DmoermStages() {}

    static void trainRouter(
            NDManager root,
            DoubleLayerMoeRewardModel model,
            ResponseCache cache,
            List<RewardPair> pairs,
            Random rng) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            all.add(i);
        }
        Optimizer optimizer = adam(ROUTER_LEARNING_RATE);
        for (int s = 0; s < ROUTER_STEPS; s++) {
            int[] batch = sample(all, 256, rng);
            float loss =
                    step(
                            root,
                            model.routerParameters(),
                            optimizer,
                            (scope, ps) -> {
                                long[] labels = new long[2 * batch.length]; // one per cached row
                                for (int i = 0; i < labels.length; i++) {
                                    labels[i] = pairs.get(batch[i / 2]).category().ordinal();
                                }
                                NDArray logits =
                                        model.routerLogits(
                                                ps, cache.promptEmbeddings(scope, batch), true);
                                NDArray picked =
                                        logits.logSoftmax(1)
                                                .gather(scope.create(labels).reshape(-1, 1), 1);
                                return picked.mean().neg();
                            });
            if (s % 100 == 0 || s == ROUTER_STEPS - 1) {
                System.err.printf(Locale.ROOT, "router step %d cross-entropy %.3f%n", s, loss);
            }
        }
    }

    static void trainExperts(
            NDManager root,
            DoubleLayerMoeRewardModel model,
            ResponseCache cache,
            List<RewardPair> pairs,
            Random rng) {
        int c = CapabilityDimension.values().length;
        for (GenreCategory g : GenreCategory.values()) {
            for (CapabilityDimension d : CapabilityDimension.values()) {
                List<Integer> pool = new ArrayList<>();
                for (int i = 0; i < pairs.size(); i++) {
                    if (pairs.get(i).category() == g && pairs.get(i).dimension() == d) {
                        pool.add(i);
                    }
                }
                int expert = g.ordinal() * c + d.ordinal();
                Optimizer optimizer =
                        adam(ADAPTER_LEARNING_RATE); // fresh: other experts' slices stay put
                float last = 0;
                for (int s = 0; s < EXPERT_STEPS; s++) {
                    int[] batch = sample(pool, PAIR_BATCH, rng);
                    last =
                            step(
                                    root,
                                    model.expertParameters(),
                                    optimizer,
                                    (scope, ps) -> {
                                        NDList rows = cache.responses(scope, batch);
                                        NDArray f =
                                                model.expertFeatures(
                                                        ps,
                                                        rows.get(0),
                                                        rows.get(1),
                                                        expert,
                                                        1,
                                                        true);
                                        NDArray r =
                                                model.valueHeads(ps, f, expert, true)
                                                        .reshape(-1, 2);
                                        return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                                    });
                }
                System.err.printf(
                        Locale.ROOT,
                        "expert %s/%s (%d pairs) final loss %.3f%n",
                        g.id(),
                        d.id(),
                        pool.size(),
                        last);
            }
        }
    }

    static void trainAggregators(
            NDManager root,
            DoubleLayerMoeRewardModel model,
            ResponseCache cache,
            List<RewardPair> pairs,
            Random rng) {
        int c = CapabilityDimension.values().length;
        for (GenreCategory g : GenreCategory.values()) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                if (pairs.get(i).category() == g) {
                    members.add(i);
                }
            }
            // Experts are frozen in phase 3: compute their features once, [2 * pairs, C, H].
            try (NDManager features = root.newSubManager()) {
                NDList parts = new NDList();
                for (int from = 0; from < members.size(); from += ENCODE_BATCH) {
                    int[] batch =
                            members
                                    .subList(from, Math.min(members.size(), from + ENCODE_BATCH))
                                    .stream()
                                    .mapToInt(Integer::intValue)
                                    .toArray();
                    try (NDManager scope = features.newSubManager()) {
                        NDList rows = cache.responses(scope, batch);
                        NDArray f =
                                model.expertFeatures(
                                                new ParameterStore(scope, false),
                                                rows.get(0),
                                                rows.get(1),
                                                g.ordinal() * c,
                                                c,
                                                false)
                                        .transpose(1, 0, 2);
                        f.attach(features);
                        parts.add(f);
                    }
                }
                NDArray all = NDArrays.concat(parts, 0);
                List<Integer> local = new ArrayList<>();
                for (int i = 0; i < members.size(); i++) {
                    local.add(i);
                }
                Optimizer optimizer = adam(HEAD_LEARNING_RATE);
                float last = 0;
                for (int s = 0; s < AGGREGATOR_STEPS; s++) {
                    int[] batch = sample(local, AGGREGATOR_BATCH, rng);
                    last =
                            step(
                                    features,
                                    model.aggregatorParameters(),
                                    optimizer,
                                    (scope, ps) -> {
                                        NDArray rows =
                                                all.get(
                                                        new NDIndex(
                                                                "{}",
                                                                scope.create(
                                                                        ResponseCache.rowsOf(
                                                                                batch))));
                                        NDArray r =
                                                model.aggregate(ps, rows, g.ordinal(), true)
                                                        .reshape(-1, 2);
                                        return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                                    });
                }
                System.err.printf(
                        Locale.ROOT,
                        "aggregator %s (%d pairs) final loss %.3f%n",
                        g.id(),
                        members.size(),
                        last);
            }
        }
    }

    static Map<String, Double> trainDense(
            NDManager root,
            DenseRewardModel model,
            ResponseCache cache,
            ResponseCache heldOutCache,
            List<RewardPair> pairs,
            List<RewardPair> heldOut,
            Random rng) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            all.add(i);
        }
        int steps =
                GenreCategory.values().length * CapabilityDimension.values().length * EXPERT_STEPS;
        Optimizer optimizer = adam(ADAPTER_LEARNING_RATE);
        for (int s = 0; s < steps; s++) {
            int[] batch = sample(all, PAIR_BATCH, rng);
            float loss =
                    step(
                            root,
                            model.trainableParameters(),
                            optimizer,
                            (scope, ps) -> {
                                NDList rows = cache.responses(scope, batch);
                                NDArray r =
                                        model.score(ps, rows.get(0), rows.get(1), true)
                                                .reshape(-1, 2);
                                return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                            });
            if (s % 400 == 0 || s == steps - 1) {
                System.err.printf(Locale.ROOT, "dense step %d loss %.3f%n", s, loss);
            }
        }
        boolean[] correct = new boolean[heldOut.size()];
        for (int from = 0; from < heldOut.size(); from += ENCODE_BATCH) {
            int[] batch = new int[Math.min(ENCODE_BATCH, heldOut.size() - from)];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = from + i;
            }
            try (NDManager scope = root.newSubManager()) {
                NDList rows = heldOutCache.responses(scope, batch);
                float[] r =
                        model.score(
                                        new ParameterStore(scope, false),
                                        rows.get(0),
                                        rows.get(1),
                                        false)
                                .toFloatArray();
                for (int i = 0; i < batch.length; i++) {
                    correct[from + i] = r[2 * i] > r[2 * i + 1];
                }
            }
        }
        return RewardEvaluation.of(heldOut, correct, null).metrics();
    }
}
