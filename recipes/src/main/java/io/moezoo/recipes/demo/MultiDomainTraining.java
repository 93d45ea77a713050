package io.moezoo.recipes.demo;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Progress;
import io.moezoo.blocks.layer.MoeStack;
import io.moezoo.blocks.loss.LoadBalancingLoss;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.loss.RouterZLoss;
import io.moezoo.blocks.spec.MoeLayerSpec;
import java.util.Random;

/**
 * Trains a small MoE classifier ({@link MoeStack}: input projection, L MoE layers, output
 * projection) on the synthetic {@link MultiDomainTask}, recording per step the task loss and the
 * weighted auxiliary loss separately, per epoch the test accuracy, and at the end how each layer
 * routes each domain. It is the engine of {@code MoeDemo}, the CLI's {@code train --dataset
 * multi-domain} and the first notebook.
 */
public final class MultiDomainTraining {

    /**
     * What to train.
     *
     * @param layer the MoE layer spec (its hidden size is the model width)
     * @param layers the number of MoE layers, &gt; 0
     * @param epochs passes over the training set, &gt; 0
     * @param learningRate Adam's learning rate, &gt; 0
     * @param balanceCoefficient weight of the load-balancing loss, &ge; 0
     * @param zLossCoefficient weight of the router z-loss, &ge; 0
     * @param seed the seed of data, initialisation and batch order
     */
    public record Config(
            MoeLayerSpec layer,
            int layers,
            int epochs,
            float learningRate,
            float balanceCoefficient,
            float zLossCoefficient,
            long seed) {

        /**
         * Validates the config.
         *
         * @param layer the layer spec
         * @param layers the number of layers
         * @param epochs epochs
         * @param learningRate learning rate
         * @param balanceCoefficient load-balancing weight
         * @param zLossCoefficient z-loss weight
         * @param seed seed
         */
        public Config {
            if (layer == null || layers <= 0 || epochs <= 0 || !(learningRate > 0)) {
                throw new IllegalArgumentException(
                        "A layer spec, layers > 0, epochs > 0 and learningRate > 0 are required");
            }
            if (!(balanceCoefficient >= 0) || !(zLossCoefficient >= 0)) {
                throw new IllegalArgumentException("Aux loss coefficients must be >= 0");
            }
        }

        /**
         * The demo's recipe for a layer spec: 2 layers, 12 epochs, Adam 3e-3, balance 0.01, z-loss
         * 0.001, seed 7.
         *
         * @param layer the layer spec
         * @return the config
         */
        public static Config of(MoeLayerSpec layer) {
            return new Config(layer, 2, 12, 3e-3f, 0.01f, 0.001f, 7);
        }

        /**
         * Returns a copy with another number of epochs.
         *
         * @param n epochs
         * @return the config
         */
        public Config withEpochs(int n) {
            return new Config(
                    layer, layers, n, learningRate, balanceCoefficient, zLossCoefficient, seed);
        }
    }

    /**
     * The outcome of a run.
     *
     * @param taskLoss the task (cross-entropy) loss of every step
     * @param auxLoss the weighted auxiliary loss of every step
     * @param testAccuracy the test accuracy after every epoch
     * @param assignments {@code [layer][domain][expert]}: assignments of 512 fresh examples per
     *     domain after training
     * @param mutualInformation per layer, I(expert; domain) in nats
     * @param tokenRouting {@code [token][expert]} routing weights of the first MoE layer for 4
     *     examples of each domain (domain-major), for a routing heatmap
     */
    public record Result(
            double[] taskLoss,
            double[] auxLoss,
            double[] testAccuracy,
            long[][][] assignments,
            double[] mutualInformation,
            float[][] tokenRouting) {

        /**
         * Returns the optimiser steps per epoch.
         *
         * @return steps per epoch
         */
        public int stepsPerEpoch() {
            return taskLoss.length / testAccuracy.length;
        }

        /**
         * Returns the step at which each epoch ended (where {@link #testAccuracy()} was measured),
         * for plotting accuracy on the loss curves' step axis.
         *
         * @return {@code [epoch]} step counts
         */
        public double[] epochEndSteps() {
            double[] steps = new double[testAccuracy.length];
            for (int e = 0; e < steps.length; e++) {
                steps[e] = (e + 1.0) * stepsPerEpoch();
            }
            return steps;
        }

        /**
         * Each layer's share of assignments per expert, over all domains.
         *
         * @return {@code [layer][expert]} fractions summing to one per layer
         */
        public double[][] loadFractions() {
            double[][] f = new double[assignments.length][];
            for (int l = 0; l < assignments.length; l++) {
                int experts = assignments[l][0].length;
                f[l] = new double[experts];
                long total = 0;
                for (long[] domain : assignments[l]) {
                    for (int e = 0; e < experts; e++) {
                        f[l][e] += domain[e];
                        total += domain[e];
                    }
                }
                for (int e = 0; e < experts; e++) {
                    f[l][e] = total == 0 ? 0 : f[l][e] / total;
                }
            }
            return f;
        }
    }

    private static final int DOMAINS = 4;
    private static final int INPUT = 16;
    private static final int CLASSES = 4;
    private static final int TRAIN_PER_DOMAIN = 1024;
    private static final int TEST_PER_DOMAIN = 256;
    private static final int BATCH = 64;

    private MultiDomainTraining() {}

    /**
     * Trains and evaluates.
     *
     * @param config what to train
     * @param progress advanced once per step, may be null
     * @return the curves and routing
     */
    public static Result train(Config config, Progress progress) {
        Engine.getInstance().setRandomSeed((int) config.seed());
        MultiDomainTask task = new MultiDomainTask(DOMAINS, INPUT, CLASSES, 6f, config.seed() + 4);
        MoeStack.Builder builder =
                MoeStack.builder()
                        .optInput(Linear.builder().setUnits(config.layer().hiddenSize()).build())
                        .optOutput(Linear.builder().setUnits(CLASSES).build());
        for (int l = 0; l < config.layers(); l++) {
            builder.addLayer(config.layer());
        }
        if (config.balanceCoefficient() > 0) {
            builder.addAuxLoss(new LoadBalancingLoss(), config.balanceCoefficient());
        }
        if (config.zLossCoefficient() > 0) {
            builder.addAuxLoss(new RouterZLoss(), config.zLossCoefficient());
        }
        MoeStack model = builder.build();
        Loss task0 = Loss.softmaxCrossEntropyLoss();
        try (Model m = Model.newInstance("multi-domain");
                NDManager data = NDManager.newBaseManager()) {
            m.setBlock(model);
            Random rng = new Random(config.seed());
            NDList train = sample(task, data, TRAIN_PER_DOMAIN, rng);
            NDList test = sample(task, data, TEST_PER_DOMAIN, rng);
            DefaultTrainingConfig tc =
                    new DefaultTrainingConfig(new MoeLoss(task0))
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(
                                                    Tracker.fixed(config.learningRate()))
                                            .build());
            int n = DOMAINS * TRAIN_PER_DOMAIN;
            int stepsPerEpoch = n / BATCH;
            double[] taskLoss = new double[config.epochs() * stepsPerEpoch];
            double[] auxLoss = new double[taskLoss.length];
            double[] accuracy = new double[config.epochs()];
            if (progress != null) {
                progress.reset("Training", taskLoss.length);
                progress.start(0);
            }
            try (Trainer trainer = m.newTrainer(tc)) {
                trainer.initialize(new Shape(BATCH, INPUT));
                int step = 0;
                for (int epoch = 0; epoch < config.epochs(); epoch++) {
                    int[] order = permutation(n, rng);
                    for (int b = 0; b < stepsPerEpoch; b++) {
                        try (NDManager scope = data.newSubManager()) {
                            long[] rows = new long[BATCH];
                            for (int i = 0; i < BATCH; i++) {
                                rows[i] = order[b * BATCH + i];
                            }
                            NDArray index = scope.create(rows);
                            // Gathered rows belong to the training set's manager: move them into
                            // the step's scope so everything computed from them is freed too.
                            NDArray xb = train.get(0).get(index);
                            NDArray yb = train.get(1).get(index);
                            xb.attach(scope);
                            yb.attach(scope);
                            NDList x = new NDList(xb);
                            NDList y = new NDList(yb);
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList out = trainer.forward(x, y);
                                NDArray t = task0.evaluate(y, new NDList(out.head()));
                                NDArray a =
                                        out.contains(MoeLoss.AUX_LOSS)
                                                ? out.get(MoeLoss.AUX_LOSS)
                                                : scope.zeros(new Shape());
                                gc.backward(t.add(a));
                                taskLoss[step] = t.getFloat();
                                auxLoss[step] = a.getFloat();
                            }
                            trainer.step();
                        }
                        step++;
                        if (progress != null) {
                            progress.increment(1);
                        }
                    }
                    accuracy[epoch] = accuracy(trainer, test, data);
                }
                if (progress != null) {
                    progress.end();
                }
                return routing(trainer, model, task, data, taskLoss, auxLoss, accuracy);
            }
        }
    }

    private static NDList sample(
            MultiDomainTask task, NDManager manager, int perDomain, Random rng) {
        NDList xs = new NDList();
        NDList ys = new NDList();
        for (int d = 0; d < DOMAINS; d++) {
            NDList s = task.sample(manager, d, perDomain, rng);
            xs.add(s.get(0));
            ys.add(s.get(1));
        }
        return new NDList(ai.djl.ndarray.NDArrays.concat(xs), ai.djl.ndarray.NDArrays.concat(ys));
    }

    private static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double accuracy(Trainer trainer, NDList test, NDManager data) {
        try (NDManager scope = data.newSubManager()) {
            NDArray x = test.get(0).duplicate();
            NDArray y = test.get(1).duplicate();
            x.attach(scope);
            y.attach(scope);
            NDArray logits = trainer.evaluate(new NDList(x)).head();
            NDArray predicted =
                    logits.argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            return predicted
                    .eq(y)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .mean()
                    .getFloat();
        }
    }

    private static Result routing(
            Trainer trainer,
            MoeStack model,
            MultiDomainTask task,
            NDManager data,
            double[] taskLoss,
            double[] auxLoss,
            double[] accuracy) {
        int layers = model.getMoeLayers().size();
        long[][][] assignments = new long[layers][DOMAINS][];
        Random rng = new Random(99);
        for (int d = 0; d < DOMAINS; d++) {
            try (NDManager scope = data.newSubManager()) {
                trainer.evaluate(new NDList(task.sample(scope, d, 512, rng).get(0)));
                for (int l = 0; l < layers; l++) {
                    assignments[l][d] =
                            model.getMoeLayers().get(l).getLastStatistics().tokensPerExpert();
                }
            }
        }
        double[] mi = new double[layers];
        for (int l = 0; l < layers; l++) {
            mi[l] = RoutingSpecialization.mutualInformation(assignments[l]);
        }
        float[][] heat;
        try (NDManager scope = data.newSubManager()) {
            NDList xs = new NDList();
            for (int d = 0; d < DOMAINS; d++) {
                xs.add(task.sample(scope, d, 4, rng).get(0));
            }
            trainer.evaluate(new NDList(ai.djl.ndarray.NDArrays.concat(xs)));
            heat = model.getMoeLayers().get(0).getLastStatistics().tokenExpertWeights();
        }
        return new Result(taskLoss, auxLoss, accuracy, assignments, mi, heat);
    }
}
