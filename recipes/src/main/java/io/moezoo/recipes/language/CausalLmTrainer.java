package io.moezoo.recipes.language;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.WarmUpTracker;
import io.moezoo.blocks.loss.AuxLossTerm;
import io.moezoo.blocks.loss.LoadBalancingLoss;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.models.language.MoeCausalLm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Trains one causal language model of a {@link LanguageRecipe}: AdamW, linear warm-up then cosine
 * decay to 1% of the peak, over epochs of non-overlapping windows (each epoch starts at a random
 * phase and visits its windows in a shuffled order), and measures perplexity on another stream.
 */
public final class CausalLmTrainer {

    private CausalLmTrainer() {}

    /**
     * The outcome of a run.
     *
     * @param perplexity the final perplexity on the evaluation stream
     * @param seconds the training wall clock
     * @param trainingTokens tokens the model was trained on (steps × batch × sequence)
     */
    public record Result(double perplexity, double seconds, long trainingTokens) {}

    /**
     * Trains the model and saves it as {@code out/<name>-0000.params}.
     *
     * @param recipe the recipe
     * @param moe the MoE model, or its dense twin
     * @param train the training stream
     * @param eval the evaluation stream
     * @param seed the seed of initialisation and window order
     * @param out the output directory
     * @param name the model name
     * @param evalEvery measure every this many steps on every 8th evaluation window (0: only at the
     *     end, on all of them)
     * @param log receives progress lines
     * @return the result
     * @throws IOException if the model cannot be saved
     */
    public static Result train(
            LanguageRecipe recipe,
            boolean moe,
            long[] train,
            long[] eval,
            long seed,
            Path out,
            String name,
            int evalEvery,
            PrintStream log)
            throws IOException {
        Engine.getInstance().setRandomSeed((int) seed);
        List<AuxLossTerm> aux =
                moe && recipe.balanceWeight() > 0
                        ? List.of(new AuxLossTerm(new LoadBalancingLoss(), recipe.balanceWeight()))
                        : List.of();
        MoeCausalLm block = new MoeCausalLm(recipe.spec(moe), aux);
        int b = recipe.batch();
        int s = recipe.sequence();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(new MoeLoss(new TokenCrossEntropy()))
                        .optOptimizer(
                                Optimizer.adamW()
                                        .optLearningRateTracker(
                                                WarmUpTracker.builder()
                                                        .optWarmUpSteps(recipe.warmupSteps())
                                                        .optWarmUpBeginValue(0f)
                                                        .setMainTracker(
                                                                CosineTracker.builder()
                                                                        .setBaseValue(
                                                                                recipe
                                                                                        .learningRate())
                                                                        .optFinalValue(
                                                                                recipe
                                                                                                .learningRate()
                                                                                        * 0.01f)
                                                                        .setMaxUpdates(
                                                                                recipe.steps()
                                                                                        - recipe
                                                                                                .warmupSteps())
                                                                        .build())
                                                        .build())
                                        .optWeightDecays(recipe.weightDecay())
                                        .build());
        Random rng = new Random(seed);
        long started = System.nanoTime();
        try (Model model = Model.newInstance(name);
                Trainer trainer = newTrainer(model, block, config, b, s)) {
            int[] starts = new int[0];
            int next = 0;
            double lossSum = 0;
            int lossCount = 0;
            for (int step = 0; step < recipe.steps(); step++) {
                if (next + b > starts.length) {
                    starts = epoch(train.length, s, rng);
                    next = 0;
                }
                try (NDManager scope = trainer.getManager().newSubManager()) {
                    long[] x = new long[b * s];
                    long[] y = new long[b * s];
                    for (int i = 0; i < b; i++) {
                        System.arraycopy(train, starts[next + i], x, i * s, s);
                        System.arraycopy(train, starts[next + i] + 1, y, i * s, s);
                    }
                    next += b;
                    NDList data = new NDList(scope.create(x, new Shape(b, s)));
                    NDList labels = new NDList(scope.create(y, new Shape(b, s)));
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray loss =
                                trainer.getLoss().evaluate(labels, trainer.forward(data, labels));
                        collector.backward(loss);
                        lossSum += loss.getFloat();
                    }
                    trainer.step();
                    lossCount++;
                }
                boolean last = step == recipe.steps() - 1;
                if (evalEvery > 0 && (step + 1) % evalEvery == 0 && !last) {
                    double ppl =
                            Perplexity.of(
                                    block, trainer.getManager(), eval, s, recipe.vocabulary(), 8);
                    log.printf(
                            Locale.ROOT,
                            "%s step %d loss %.4f eval perplexity (every 8th window) %.2f (%.0f s)%n",
                            name,
                            step + 1,
                            lossSum / lossCount,
                            ppl,
                            (System.nanoTime() - started) / 1e9);
                    lossSum = 0;
                    lossCount = 0;
                    model.save(out, name);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            model.save(out, name);
            double ppl =
                    Perplexity.of(block, trainer.getManager(), eval, s, recipe.vocabulary(), 1);
            log.printf(Locale.ROOT, "%s final eval perplexity %.2f (%.0f s)%n", name, ppl, seconds);
            return new Result(ppl, seconds, (long) recipe.steps() * b * s);
        }
    }

    private static Trainer newTrainer(
            Model model, Block block, DefaultTrainingConfig config, int b, int s) {
        model.setBlock(block);
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(b, s));
        return trainer;
    }

    /**
     * One epoch's window starts: {@code phase + k·s} for every window that fits (with its shifted
     * labels), phase drawn in {@code [0, s)}, in a shuffled order.
     *
     * @param tokens the stream length
     * @param s the window length
     * @param rng the random source
     * @return the starts
     */
    static int[] epoch(int tokens, int s, Random rng) {
        int phase = rng.nextInt(s);
        int count = (tokens - 1 - phase) / s;
        int[] starts = new int[count];
        for (int k = 0; k < count; k++) {
            starts[k] = phase + k * s;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = starts[i];
            starts[i] = starts[j];
            starts[j] = t;
        }
        return starts;
    }

    /** Mean next-token cross-entropy over {@code [B, S, V]} logits and {@code [B, S]} labels. */
    static final class TokenCrossEntropy extends Loss {

        private final Loss flat = Loss.softmaxCrossEntropyLoss();

        TokenCrossEntropy() {
            super("token_cross_entropy");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logits = predictions.head();
            long vocab = logits.getShape().get(logits.getShape().dimension() - 1);
            return flat.evaluate(
                    new NDList(labels.head().reshape(-1)), new NDList(logits.reshape(-1, vocab)));
        }
    }
}
