package io.moezoo.blocks.demo;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.layer.MoeStack;
import io.moezoo.blocks.layer.RoutingStatistics;
import io.moezoo.blocks.loss.LoadBalancingLoss;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.loss.RouterZLoss;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterSpec;
import java.io.IOException;
import java.util.Locale;
import java.util.Random;

/**
 * Trains a two-layer Mixtral-style MoE (4 SwiGLU experts, top-2) with DJL's EasyTrain on {@link
 * MultiDomainTask} and prints the loss, the accuracy, the expert load of each layer and which
 * experts each domain uses.
 */
public final class MoeDemo {

    private static final int DOMAINS = 4;
    private static final int HIDDEN = 32;

    private MoeDemo() {}

    /**
     * Runs the demo.
     *
     * @param args ignored
     * @throws IOException if training data cannot be prepared
     * @throws TranslateException if a batch cannot be built
     */
    public static void main(String[] args) throws IOException, TranslateException {
        ai.djl.engine.Engine.getInstance().setRandomSeed(7);
        MultiDomainTask task = new MultiDomainTask(DOMAINS, 16, 4, 6f, 11);
        MoeLayerSpec layer =
                MoeLayerSpec.of(RouterSpec.mixtral(4, 2), ExpertSpec.swiGlu(4, HIDDEN, 64));
        MoeStack model =
                MoeStack.builder()
                        .optInput(Linear.builder().setUnits(HIDDEN).build())
                        .addLayer(layer)
                        .addLayer(layer)
                        .optOutput(Linear.builder().setUnits(task.classes()).build())
                        .addAuxLoss(new LoadBalancingLoss(), 0.01f)
                        .addAuxLoss(new RouterZLoss(), 0.001f)
                        .build();
        try (Model m = Model.newInstance("moe-demo");
                NDManager data = NDManager.newBaseManager()) {
            m.setBlock(model);
            Random rng = new Random(3);
            ArrayDataset train = dataset(task, data, 1024, rng);
            ArrayDataset test = dataset(task, data, 256, rng);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new MoeLoss(Loss.softmaxCrossEntropyLoss()))
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(3e-3f))
                                            .build())
                            .addEvaluator(new Accuracy())
                            .addTrainingListeners(TrainingListener.Defaults.basic());
            try (Trainer trainer = m.newTrainer(config)) {
                trainer.initialize(new Shape(64, task.inputSize()));
                System.out.println(
                        "Training a 2-layer MoE (E=4, top-2, SwiGLU) on 4 synthetic domains");
                for (int epoch = 1; epoch <= 12; epoch++) {
                    EasyTrain.fit(trainer, 1, train, test);
                    TrainingResult r = trainer.getTrainingResult();
                    System.out.printf(
                            Locale.ROOT,
                            "epoch %2d  train loss %.4f  test accuracy %.3f%n",
                            epoch,
                            r.getTrainLoss(),
                            r.getValidateEvaluation("Accuracy"));
                }
                printRouting(trainer, model, task, data);
            }
        }
    }

    private static ArrayDataset dataset(
            MultiDomainTask task, NDManager manager, int perDomain, Random rng) {
        NDList xs = new NDList();
        NDList ys = new NDList();
        for (int d = 0; d < task.domains(); d++) {
            NDList s = task.sample(manager, d, perDomain, rng);
            xs.add(s.get(0));
            ys.add(s.get(1));
        }
        return new ArrayDataset.Builder()
                .setData(NDArrays.concat(xs))
                .optLabels(NDArrays.concat(ys))
                .setSampling(64, true)
                .build();
    }

    private static void printRouting(
            Trainer trainer, MoeStack model, MultiDomainTask task, NDManager data) {
        int layers = model.getMoeLayers().size();
        long[][][] perDomain = new long[layers][task.domains()][];
        Random rng = new Random(99);
        for (int d = 0; d < task.domains(); d++) {
            try (NDManager scope = data.newSubManager()) {
                NDArray x = task.sample(scope, d, 512, rng).get(0);
                trainer.evaluate(new NDList(x));
                for (int l = 0; l < layers; l++) {
                    perDomain[l][d] =
                            model.getMoeLayers().get(l).getLastStatistics().tokensPerExpert();
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            MoeLayer layer = model.getMoeLayers().get(l);
            RoutingStatistics last = layer.getLastStatistics();
            System.out.printf(
                    Locale.ROOT,
                    "%nlayer %d: assignments per expert for each domain (router entropy %.3f nats)%n",
                    l,
                    last.routerEntropy());
            for (int d = 0; d < task.domains(); d++) {
                StringBuilder row =
                        new StringBuilder(String.format(Locale.ROOT, "  domain %d |", d));
                long total = 0;
                for (long c : perDomain[l][d]) {
                    total += c;
                }
                for (long c : perDomain[l][d]) {
                    int bar = (int) Math.round(20.0 * c / total);
                    row.append(String.format(Locale.ROOT, " %5d %-20s", c, "#".repeat(bar)));
                }
                System.out.println(row);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  mutual information I(expert; domain) = %.3f nats (max %.3f)%n",
                    RoutingSpecialization.mutualInformation(perDomain[l]),
                    Math.log(task.domains()));
        }
    }
}
