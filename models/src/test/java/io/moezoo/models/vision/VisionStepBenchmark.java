package io.moezoo.models.vision;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.moezoo.blocks.dispatch.DispatcherKinds;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertActivation;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.RouterSpec;
import java.util.List;
import java.util.Locale;

/**
 * Times training steps of vision specs (not a test): {@code VisionStepBenchmark PATCH HIDDEN LAYERS
 * BATCH DISPATCH}.
 */
public final class VisionStepBenchmark {

    private VisionStepBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args patch, hidden, layers, batch, dispatch
     */
    public static void main(String[] args) {
        int patch = Integer.parseInt(args[0]);
        int hidden = Integer.parseInt(args[1]);
        int layers = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        String mode = DispatcherKinds.canonical(args[4]);
        for (boolean moe : new boolean[] {true, false}) {
            VisionMoeSpec spec = spec(moe, patch, hidden, layers, mode);
            try (Model model = Model.newInstance("bench", "PyTorch")) {
                model.setBlock(new VisionMoeTransformer(spec));
                DefaultTrainingConfig config =
                        new DefaultTrainingConfig(new MoeLoss(Loss.softmaxCrossEntropyLoss()))
                                .optOptimizer(Optimizer.adamW().build());
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(batch, 1, 28, 28));
                    long start = 0;
                    int steps = 15;
                    for (int s = 0; s < steps + 3; s++) {
                        if (s == 3) {
                            start = System.nanoTime();
                        }
                        try (NDManager scope = trainer.getManager().newSubManager()) {
                            NDList x = new NDList(scope.randomNormal(new Shape(batch, 1, 28, 28)));
                            NDList y =
                                    new NDList(
                                            scope.randomInteger(
                                                    0,
                                                    10,
                                                    new Shape(batch),
                                                    ai.djl.ndarray.types.DataType.FLOAT32));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList p = trainer.forward(x, y);
                                NDArray loss = trainer.getLoss().evaluate(y, p);
                                gc.backward(loss);
                            }
                            trainer.step();
                        }
                    }
                    double ms = (System.nanoTime() - start) / 1e6 / steps;
                    long f0 = System.nanoTime();
                    for (int s = 0; s < 5; s++) {
                        try (NDManager scope = trainer.getManager().newSubManager()) {
                            NDList x = new NDList(scope.randomNormal(new Shape(batch, 1, 28, 28)));
                            trainer.evaluate(x).head().toFloatArray();
                        }
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "inference forward %.0f ms%n",
                            (System.nanoTime() - f0) / 1e6 / 5);
                    System.out.printf(
                            Locale.ROOT,
                            "%s patch %d D %d L %d batch %d %s: %.0f ms/step, %.1f s/epoch(55k), params %d act %d%n",
                            moe ? "moe" : "dense",
                            patch,
                            hidden,
                            layers,
                            batch,
                            mode,
                            ms,
                            ms * 55000 / batch / 1000,
                            spec.totalParameters(),
                            spec.activatedParameters());
                }
            }
        }
    }

    static VisionMoeSpec spec(boolean moe, int patch, int hidden, int layers, String mode) {
        RouterSpec router =
                CapacityTopKSpec.of(8, 2, 1.05f)
                        .withCapacityMultiple(4)
                        .withBatchPrioritized(true)
                        .withNoiseStd(1.0f);
        ExpertSpec experts =
                MlpExpertSpec.of(8, hidden, hidden)
                        .withActivation(ExpertActivation.GELU)
                        .withBias(true);
        return new VisionMoeSpec(
                moe ? "m" : "d",
                28,
                1,
                patch,
                hidden,
                layers,
                4,
                2 * hidden,
                moe ? VisionMoeSpec.everyNth(layers, 2) : List.of(),
                moe ? router : null,
                moe ? experts : null,
                mode,
                VisionMoeSpec.Pooling.MEAN,
                10,
                1e-6f,
                moe ? 0.005f : 0,
                moe ? 0.005f : 0,
                0.286f,
                0.353f);
    }
}
