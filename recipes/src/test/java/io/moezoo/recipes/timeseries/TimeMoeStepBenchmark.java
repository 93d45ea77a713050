package io.moezoo.recipes.timeseries;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import io.moezoo.models.timeseries.TimeMoeForecaster;
import io.moezoo.models.timeseries.TimeMoeLoss;
import io.moezoo.models.timeseries.TimeMoeSpec;
import java.util.Locale;

/** Times the parts of one training step (a main, not a test). */
public final class TimeMoeStepBenchmark {

    private TimeMoeStepBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args {@code [B] [L]}
     */
    public static void main(String[] args) {
        int b = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int l = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        TimeMoeSpec spec = TimeMoeTraining.spec();
        TimeMoeForecaster block = new TimeMoeForecaster(spec);
        try (Model model = Model.newInstance("bench")) {
            model.setBlock(block);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new TimeMoeLoss(2f))
                            .optOptimizer(Optimizer.adamW().build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(b, l));
                for (int i = 0; i < 6; i++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = scope.randomNormal(new Shape(b, l));
                        NDArray y = scope.randomNormal(new Shape(b, l, spec.maxHorizon()));
                        NDArray m = scope.ones(new Shape(b, l, spec.maxHorizon()));
                        long t0 = System.nanoTime();
                        NDList eval = trainer.evaluate(new NDList(x));
                        eval.head().toFloatArray();
                        long t1 = System.nanoTime();
                        long t2;
                        long t3;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList p = trainer.forward(new NDList(x), new NDList(y, m));
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y, m), p);
                            loss.getFloat();
                            t2 = System.nanoTime();
                            gc.backward(loss);
                        }
                        t3 = System.nanoTime();
                        trainer.step();
                        long t4 = System.nanoTime();
                        System.out.printf(
                                Locale.ROOT,
                                "eval %.0f ms, train fwd %.0f ms, bwd %.0f ms, step %.0f ms%n",
                                (t1 - t0) / 1e6,
                                (t2 - t1) / 1e6,
                                (t3 - t2) / 1e6,
                                (t4 - t3) / 1e6);
                    }
                }
            }
        }
    }
}
