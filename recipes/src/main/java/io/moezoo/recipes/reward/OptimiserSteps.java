package io.moezoo.recipes.reward;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * The optimiser step every stage of {@link RewardModelTraining} runs: a loss computed in a fresh
 * scope, backward, Adam update of the given parameters.
 */
final class OptimiserSteps {

    private OptimiserSteps() {}

    /** One optimiser step on a loss computed in a fresh scope; returns the loss value. */
    static float step(
            NDManager parent,
            List<Parameter> parameters,
            Optimizer optimizer,
            BiFunction<NDManager, ParameterStore, NDArray> loss) {
        try (NDManager scope = parent.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray value = loss.apply(scope, ps);
            collector.backward(value);
            for (Parameter p : parameters) {
                NDArray array = p.getArray();
                optimizer.update(p.getId(), array, array.getGradient());
            }
            return value.getFloat();
        }
    }

    static Optimizer adam(float learningRate) {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
    }

    static int[] sample(List<Integer> pool, int n, Random rng) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = pool.get(rng.nextInt(pool.size()));
        }
        return out;
    }
}
