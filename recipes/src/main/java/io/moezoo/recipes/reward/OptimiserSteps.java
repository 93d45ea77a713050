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
 * The optimiser step every stage of {@link RewardModelTraining} and {@link LmRewardTraining} runs:
 * a loss computed in a fresh scope, backward, Adam update of the given parameters.
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

    /** A loss over a batch of row indices, computed in the step's scope. */
    @FunctionalInterface
    interface BatchLoss {
        NDArray apply(NDManager scope, ParameterStore ps, int[] batch);
    }

    /**
     * Runs {@code steps} Adam steps, each on {@code batchSize} rows drawn with replacement from
     * {@code [0, rows)}.
     *
     * @return the last step's loss
     */
    static float train(
            NDManager root,
            List<Parameter> parameters,
            float learningRate,
            int steps,
            int rows,
            int batchSize,
            Random rng,
            BatchLoss loss) {
        List<Integer> pool = new java.util.ArrayList<>();
        for (int i = 0; i < rows; i++) {
            pool.add(i);
        }
        Optimizer optimizer = adam(learningRate);
        float last = 0;
        for (int s = 0; s < steps; s++) {
            int[] batch = sample(pool, batchSize, rng);
            last = step(root, parameters, optimizer, (scope, ps) -> loss.apply(scope, ps, batch));
        }
        return last;
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
