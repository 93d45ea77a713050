package io.moezoo.recipes.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.moezoo.blocks.layer.BlockTree;
import io.moezoo.blocks.layer.MoeStack;
import io.moezoo.blocks.loss.BalanceWindow;
import io.moezoo.blocks.loss.LoadBalancingLoss;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.routing.GroupLimitedRouter;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.ScoringFunction;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.training.AuxFreeBiasUpdate;
import io.moezoo.blocks.training.GradientAccumulation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** MoE models train with DJL's Trainer; global-batch balancing lets experts specialise. */
class TrainingTest {

    private static final int HIDDEN = 32;

    private static MoeStack model(
            MoeLayerSpec layer, int classes, BalanceWindow window, float auxCoefficient) {
        return MoeStack.builder()
                .optInput(Linear.builder().setUnits(HIDDEN).build())
                .addLayer(layer)
                .optOutput(Linear.builder().setUnits(classes).build())
                .addAuxLoss(new LoadBalancingLoss(), auxCoefficient)
                .optBalanceWindow(window)
                .build();
    }

    private static DefaultTrainingConfig config(float lr) {
        return new DefaultTrainingConfig(new MoeLoss(Loss.softmaxCrossEntropyLoss()))
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build())
                .addEvaluator(new Accuracy());
    }

    @Test
    void smallMoeLearnsTheMultiDomainTaskWithEasyTrain() throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed(5);
        MultiDomainTask task = new MultiDomainTask(4, 12, 3, 6f, 21);
        MoeStack stack =
                model(
                        MoeLayerSpec.of(
                                RouterPresets.mixtral(4, 2), new SwiGluExpertSpec(4, HIDDEN, 48)),
                        task.classes(),
                        BalanceWindow.microBatch(),
                        0.01f);
        try (Model model = Model.newInstance("learn");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(stack);
            Random rng = new Random(1);
            NDList train = mixed(task, data, 512, rng);
            NDList test = mixed(task, data, 256, rng);
            ArrayDataset trainSet =
                    new ArrayDataset.Builder()
                            .setData(train.get(0))
                            .optLabels(train.get(1))
                            .setSampling(64, true)
                            .build();
            try (Trainer trainer =
                    model.newTrainer(
                            config(3e-3f)
                                    .addTrainingListeners(TrainingListener.Defaults.basic()))) {
                trainer.initialize(new Shape(64, task.inputSize()));
                float before = accuracy(trainer, test);
                EasyTrain.fit(trainer, 15, trainSet, null);
                float after = accuracy(trainer, test);
                System.out.printf(
                        Locale.ROOT,
                        "EasyTrain: test accuracy %.3f -> %.3f (chance 0.333)%n",
                        before,
                        after);
                assertTrue(after >= 0.75f, "accuracy after training " + after);
                NDList out = trainer.evaluate(new NDList(test.get(0)));
                assertEquals(1, out.size(), "no auxiliary output leaks into inference");
                assertNotNull(stack.getMoeLayers().get(0).getLastStatistics());
                long routed = 0;
                for (long c : stack.getMoeLayers().get(0).getLastStatistics().tokensPerExpert()) {
                    routed += c;
                }
                assertEquals(2L * 256 * 4, routed, "top-2 statistics of the last forward");
            }
        }
    }

    private static NDList mixed(MultiDomainTask task, NDManager m, int perDomain, Random rng) {
        NDList xs = new NDList();
        NDList ys = new NDList();
        for (int d = 0; d < task.domains(); d++) {
            NDList s = task.sample(m, d, perDomain, rng);
            xs.add(s.get(0));
            ys.add(s.get(1));
        }
        return new NDList(NDArrays.concat(xs), NDArrays.concat(ys));
    }

    private static float accuracy(Trainer trainer, NDList test) {
        NDArray logits = trainer.evaluate(new NDList(test.get(0))).head();
        return logits.argMax(1)
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .eq(test.get(1))
                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .mean()
                .getFloat();
    }

    /** Trains with one domain per micro-batch and returns {mutual information, eval task loss}. */
    private static double[] trainSpecialisation(
            BalanceWindow window, MultiDomainTask task, int steps) {
        Engine.getInstance().setRandomSeed(77);
        MoeStack stack =
                model(
                        MoeLayerSpec.of(
                                RouterPresets.mixtral(4, 1), new SwiGluExpertSpec(4, HIDDEN, 32)),
                        task.classes(),
                        window,
                        0.1f);
        try (Model model = Model.newInstance("specialise");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(stack);
            try (Trainer trainer = model.newTrainer(config(3e-3f))) {
                trainer.initialize(new Shape(32, task.inputSize()));
                Random rng = new Random(8);
                for (int step = 0; step < steps; step++) {
                    try (NDManager scope = data.newSubManager()) {
                        List<Batch> micro = new ArrayList<>();
                        for (int d = 0; d < task.domains(); d++) {
                            NDList s = task.sample(scope, d, 32, rng);
                            micro.add(
                                    new Batch(
                                            scope,
                                            new NDList(s.get(0)),
                                            new NDList(s.get(1)),
                                            32,
                                            null,
                                            null,
                                            step,
                                            steps));
                        }
                        GradientAccumulation.step(trainer, micro);
                    }
                }
                long[][] counts = new long[task.domains()][];
                double loss = 0;
                Random evalRng = new Random(99);
                for (int d = 0; d < task.domains(); d++) {
                    try (NDManager scope = data.newSubManager()) {
                        NDList s = task.sample(scope, d, 400, evalRng);
                        NDArray logits = trainer.evaluate(new NDList(s.get(0))).head();
                        loss +=
                                Loss.softmaxCrossEntropyLoss()
                                        .evaluate(new NDList(s.get(1)), new NDList(logits))
                                        .getFloat();
                        counts[d] =
                                stack.getMoeLayers().get(0).getLastStatistics().tokensPerExpert();
                    }
                }
                return new double[] {
                    RoutingSpecialization.mutualInformation(counts), loss / task.domains()
                };
            }
        }
    }

    @Test
    void globalBatchBalancingSpecialisesExpertsMoreThanMicroBatchBalancing() {
        MultiDomainTask task = new MultiDomainTask(4, 12, 3, 6f, 31);
        double[] micro = trainSpecialisation(BalanceWindow.microBatch(), task, 250);
        double[] global = trainSpecialisation(BalanceWindow.globalBatch(task.domains()), task, 250);
        System.out.printf(
                Locale.ROOT,
                "micro-batch LBL: I(expert;domain) = %.3f nats, task loss %.3f%n",
                micro[0],
                micro[1]);
        System.out.printf(
                Locale.ROOT,
                "global-batch LBL: I(expert;domain) = %.3f nats, task loss %.3f%n",
                global[0],
                global[1]);
        assertTrue(
                global[0] > micro[0] + 0.15 && global[0] > 3 * micro[0],
                "global-batch balancing should specialise more: " + global[0] + " vs " + micro[0]);
        assertTrue(
                global[1] <= micro[1] * 1.25 + 0.05,
                "at similar task loss: " + global[1] + " vs " + micro[1]);
    }

    @Test
    void auxLossFreeBalancingUpdatesTheBiasAfterEveryStep() throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed(3);
        MultiDomainTask task = new MultiDomainTask(4, 12, 3, 6f, 41);
        float gamma = 0.01f;
        RouterSpec router =
                GroupLimitedSpec.of(8, 2)
                        .withScoring(ScoringFunction.SIGMOID)
                        .withGroups(4, 2, io.moezoo.blocks.spec.GroupScore.TOP2_SUM)
                        .withNormalizeTopK(true)
                        .withCorrectionBias(true, gamma);
        MoeStack stack =
                MoeStack.builder()
                        .optInput(Linear.builder().setUnits(HIDDEN).build())
                        .addLayer(MoeLayerSpec.of(router, new SwiGluExpertSpec(8, HIDDEN, 16)))
                        .optOutput(Linear.builder().setUnits(task.classes()).build())
                        .build();
        try (Model model = Model.newInstance("aux-free");
                NDManager data = NDManager.newBaseManager()) {
            model.setBlock(stack);
            NDList train = mixed(task, data, 256, new Random(2));
            ArrayDataset set =
                    new ArrayDataset.Builder()
                            .setData(train.get(0))
                            .optLabels(train.get(1))
                            .setSampling(64, true)
                            .build();
            try (Trainer trainer =
                    model.newTrainer(
                            config(3e-3f).addTrainingListeners(new AuxFreeBiasUpdate(stack)))) {
                trainer.initialize(new Shape(64, task.inputSize()));
                EasyTrain.fit(trainer, 2, set, null);
            }
            int steps = 2 * 1024 / 64;
            GroupLimitedRouter r = BlockTree.find(stack, GroupLimitedRouter.class).get(0);
            float[] bias = r.getCorrectionBias().getArray().toFloatArray();
            boolean moved = false;
            for (float b : bias) {
                double multiple = b / gamma;
                assertEquals(
                        Math.round(multiple),
                        multiple,
                        1e-3,
                        "each update moves a bias by ±γ or 0");
                assertTrue(Math.abs(b) <= steps * gamma + 1e-5f);
                moved |= b != 0;
            }
            assertTrue(moved, "the bias moved");
        }
    }
}
