package io.moezoo.recipes.vision;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.models.vision.LabelSmoothedCrossEntropy;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.models.vision.VisionMoeTransformer;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Random;

/**
 * The optimisation loop of the vision recipe: AdamW with warm-up and cosine decay over shuffled
 * Fashion-MNIST batches, the V-MoE auxiliary losses through {@link MoeLoss}, and the accuracy on
 * the held-out validation images.
 */
public final class VisionTrainingLoop {

    private VisionTrainingLoop() {}

    /**
     * Trains a model in place and returns its validation accuracy.
     *
     * @param model the model holding the block
     * @param block the (uninitialised) block
     * @param recipe the recipe
     * @param train the training split
     * @param seed the seed
     * @param log receives progress lines
     * @return the accuracy on the held-out validation images
     */
    public static double fit(
            Model model,
            VisionMoeTransformer block,
            TrainingRecipe recipe,
            FashionMnist train,
            long seed,
            PrintStream log) {
        VisionMoeSpec spec = block.getSpec();
        return fit(
                model,
                new Input(
                        spec.name(),
                        spec.channels(),
                        spec.imageSize(),
                        spec.inputMean(),
                        spec.inputStd()),
                recipe,
                train,
                seed,
                log);
    }

    /**
     * What the loop needs to know of a model's input besides the block: its name for the log, the
     * image shape and the pixel normalisation {@code (p / 255 - mean) / std}.
     *
     * @param name the model's name (log lines)
     * @param channels the image channels (1 for Fashion-MNIST)
     * @param imageSize the image side in pixels
     * @param inputMean the normalisation mean
     * @param inputStd the normalisation standard deviation
     */
    public record Input(
            String name, int channels, int imageSize, float inputMean, float inputStd) {}

    /**
     * Trains any classifier block already set on the model (logits first in its output; an {@code
     * aux_loss} output, if any, is added by {@link MoeLoss}) with the same recipe, data order,
     * augmentation and schedule as the V-MoE, and returns its validation accuracy.
     *
     * @param model the model holding the (uninitialised) block
     * @param spec the input description
     * @param recipe the recipe
     * @param train the training split
     * @param seed the seed
     * @param log receives progress lines
     * @return the accuracy on the held-out validation images
     */
    public static double fit(
            Model model,
            Input spec,
            TrainingRecipe recipe,
            FashionMnist train,
            long seed,
            PrintStream log) {
        Engine.getInstance().setRandomSeed((int) seed);
        Random rng = new Random(seed);
        int[] order = shuffled(train.count(), rng);
        int trainCount = train.count() - recipe.validationImages();
        int[] trainIdx = java.util.Arrays.copyOfRange(order, 0, trainCount);
        int[] valIdx = java.util.Arrays.copyOfRange(order, trainCount, order.length);
        float[] pixels = normalised(train, spec);
        int batch = recipe.batchSize();
        int stepsPerEpoch = trainCount / batch;
        if (recipe.maxStepsPerEpoch() > 0) {
            stepsPerEpoch = Math.min(stepsPerEpoch, recipe.maxStepsPerEpoch());
        }
        int totalSteps = stepsPerEpoch * recipe.epochs();
        Tracker schedule =
                WarmUpTracker.builder()
                        .optWarmUpSteps(recipe.warmupSteps())
                        .optWarmUpBeginValue(0f)
                        .setMainTracker(
                                CosineTracker.builder()
                                        .setBaseValue(recipe.learningRate())
                                        .optFinalValue(recipe.learningRate() * 0.01f)
                                        .setMaxUpdates(
                                                Math.max(1, totalSteps - recipe.warmupSteps()))
                                        .build())
                        .build();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(
                                new MoeLoss(new LabelSmoothedCrossEntropy(recipe.labelSmoothing())))
                        .optOptimizer(
                                Optimizer.adamW()
                                        .optLearningRateTracker(schedule)
                                        .optWeightDecays(recipe.weightDecay())
                                        .build());
        int side = spec.imageSize();
        long started = System.nanoTime();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(batch, spec.channels(), side, side));
            int step = 0;
            double val = Double.NaN;
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                shuffle(trainIdx, rng);
                double lossSum = 0;
                for (int s = 0; s < stepsPerEpoch; s++, step++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        float[] x = new float[batch * side * side];
                        float[] y = new float[batch];
                        for (int b = 0; b < batch; b++) {
                            int i = trainIdx[s * batch + b];
                            copyImage(pixels, i, x, b, side, recipe, rng, spec);
                            y[b] = train.label(i);
                        }
                        NDList data = new NDList(scope.create(x, new Shape(batch, 1, side, side)));
                        NDList labels = new NDList(scope.create(y, new Shape(batch)));
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDList predictions = trainer.forward(data, labels);
                            NDArray loss = trainer.getLoss().evaluate(labels, predictions);
                            collector.backward(loss);
                            lossSum += loss.getFloat();
                        }
                        trainer.step();
                    }
                    if (step % 100 == 0) {
                        log.printf(
                                Locale.ROOT,
                                "%s epoch %d step %d/%d loss %.4f (%.0f s)%n",
                                spec.name(),
                                epoch,
                                step,
                                totalSteps,
                                lossSum / (s + 1),
                                (System.nanoTime() - started) / 1e9);
                    }
                }
                val = accuracy(trainer, pixels, train, valIdx, spec);
                log.printf(
                        Locale.ROOT,
                        "%s epoch %d validation accuracy %.4f (%.0f s)%n",
                        spec.name(),
                        epoch,
                        val,
                        (System.nanoTime() - started) / 1e9);
                log.flush();
            }
            return val;
        }
    }

    private static double accuracy(
            Trainer trainer, float[] pixels, FashionMnist data, int[] idx, Input spec) {
        if (idx.length == 0) {
            return Double.NaN;
        }
        int side = spec.imageSize();
        int correct = 0;
        int batch = 500;
        for (int start = 0; start < idx.length; start += batch) {
            int n = Math.min(batch, idx.length - start);
            try (NDManager scope = trainer.getManager().newSubManager()) {
                float[] x = new float[n * side * side];
                for (int b = 0; b < n; b++) {
                    System.arraycopy(
                            pixels, idx[start + b] * side * side, x, b * side * side, side * side);
                }
                NDArray logits =
                        trainer.evaluate(new NDList(scope.create(x, new Shape(n, 1, side, side))))
                                .head();
                long[] predicted = logits.argMax(1).toLongArray();
                for (int b = 0; b < n; b++) {
                    if (predicted[b] == data.label(idx[start + b])) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / idx.length;
    }

    /** Pixels of every image as {@code (p / 255 - mean) / std}. */
    private static float[] normalised(FashionMnist data, Input spec) {
        byte[] raw = data.images();
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = ((raw[i] & 0xFF) / 255f - spec.inputMean()) / spec.inputStd();
        }
        return out;
    }

    /**
     * Copies image i into batch slot b, augmented as the recipe says: shifted by (dx, dy) drawn
     * uniformly from [-maxShift, maxShift] (pixels shifted in from outside are black, i.e. raw
     * pixel 0), then mirrored left-right with probability 1/2, then randomly erased with the
     * recipe's probability.
     */
    private static void copyImage(
            float[] pixels,
            int i,
            float[] x,
            int b,
            int side,
            TrainingRecipe recipe,
            Random rng,
            Input spec) {
        int area = side * side;
        int maxShift = recipe.maxShift();
        int dx = maxShift == 0 ? 0 : rng.nextInt(2 * maxShift + 1) - maxShift;
        int dy = maxShift == 0 ? 0 : rng.nextInt(2 * maxShift + 1) - maxShift;
        boolean flip = recipe.horizontalFlip() && rng.nextBoolean();
        if (dx == 0 && dy == 0 && !flip) {
            System.arraycopy(pixels, i * area, x, b * area, area);
        } else {
            float background = -spec.inputMean() / spec.inputStd();
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    int sr = r - dy;
                    int sc = (flip ? side - 1 - c : c) - dx;
                    boolean inside = sr >= 0 && sr < side && sc >= 0 && sc < side;
                    x[b * area + r * side + c] =
                            inside ? pixels[i * area + sr * side + sc] : background;
                }
            }
        }
        if (recipe.randomErasing() > 0 && rng.nextFloat() < recipe.randomErasing()) {
            RandomErasing.erase(x, b * area, side, rng, spec.inputMean(), spec.inputStd());
        }
    }

    private static int[] shuffled(int n, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        shuffle(order, rng);
        return order;
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
