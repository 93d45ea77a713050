package io.moezoo.recipes.language;

import io.moezoo.recipes.ngram.KneserNeyModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The classical baselines of the Brown language models: interpolated modified Kneser-Ney n-gram
 * models ({@link KneserNeyModel}) on the same GPT-2 BPE token ids, scored on exactly the held-out
 * predictions of {@link BrownLanguageModels#heldOutPerplexity}: every held-out token but the first,
 * each from the tokens of its 64-token evaluation window before it (the n-gram uses the last n - 1
 * of them, so it never sees more context than the network). Three baselines:
 *
 * <ul>
 *   <li>{@code trigram}: order 3, trained on the whole training stream (documents joined by {@code
 *       <|endoftext|>}, counted as one sequence);
 *   <li>{@code bigram}: order 2, same data;
 *   <li>{@code trigramSeenWindows}: order 3, trained only on the {@code steps x 16} windows of 65
 *       tokens the networks were trained on ({@link BrownLanguageModels#trainingWindowStarts}),
 *       each window its own sequence, repeated windows counted again: the same tokens the networks
 *       saw.
 * </ul>
 *
 * <p>The trigram is also scored on the re-evaluation subset of the cards (every {@code stride}-th
 * evaluation window), beside the network's perplexity on the same subset.
 *
 * <p>Deterministic: integer counts, discounts from count-of-counts, a fixed summation order.
 *
 * @param trigram held-out perplexity of the Kneser-Ney trigram
 * @param bigram held-out perplexity of the Kneser-Ney bigram
 * @param trigramSeenWindows held-out perplexity of the trigram trained on the seen windows only
 * @param trigramSubset the trigram's perplexity on every {@code stride}-th window
 * @param stride the step between the windows of the subset
 * @param predictions the number of predicted held-out tokens (whole split)
 */
public record BrownNgramBaselines(
        double trigram,
        double bigram,
        double trigramSeenWindows,
        double trigramSubset,
        int stride,
        long predictions) {

    private static final int VOCABULARY = (int) BrownLanguageModels.END_OF_TEXT + 1;

    /**
     * Trains the three n-gram models and measures them on the held-out stream.
     *
     * @param split {train, held-out} token streams ({@link BrownLanguageModels#tokenize})
     * @param steps the networks' optimiser steps
     * @param seed the networks' seed of batch sampling
     * @param stride the step between the windows of the re-evaluation subset
     * @return the baselines
     */
    public static BrownNgramBaselines measure(long[][] split, int steps, long seed, int stride) {
        long[] heldOut = split[1];
        KneserNeyModel trigram = KneserNeyModel.modified(3, VOCABULARY, List.of(split[0]));
        return new BrownNgramBaselines(
                perplexity(trigram, heldOut, 1),
                perplexity(KneserNeyModel.modified(2, VOCABULARY, List.of(split[0])), heldOut, 1),
                perplexity(
                        KneserNeyModel.modified(3, VOCABULARY, seenWindows(split[0], steps, seed)),
                        heldOut,
                        1),
                perplexity(trigram, heldOut, stride),
                stride,
                heldOut.length - 1L);
    }

    /**
     * The training windows the networks saw, as copies of 65 tokens each.
     *
     * @param train the training stream
     * @param steps optimiser steps
     * @param seed the seed of batch sampling
     * @return the windows, in training order
     */
    public static List<long[]> seenWindows(long[] train, int steps, long seed) {
        List<long[]> windows = new ArrayList<>();
        for (int start : BrownLanguageModels.trainingWindowStarts(train.length, steps, seed)) {
            windows.add(
                    java.util.Arrays.copyOfRange(
                            train, start, start + BrownLanguageModels.SEQUENCE + 1));
        }
        return windows;
    }

    /**
     * Held-out perplexity of an n-gram model on the predictions of {@link
     * BrownLanguageModels#heldOutPerplexity}: position {@code i = 1 .. N - 1} predicted from the
     * tokens of its window {@code w = floor((i - 1) / 64)}, {@code [64 w, i)}; only the windows
     * {@code w} divisible by {@code stride}.
     *
     * @param model the n-gram model
     * @param heldOut the held-out stream
     * @param stride the step between evaluated windows (1: the whole split)
     * @return exp of the mean negative log-probability
     */
    public static double perplexity(KneserNeyModel model, long[] heldOut, int stride) {
        double sum = 0;
        long count = 0;
        for (int i = 1; i < heldOut.length; i++) {
            int window = (i - 1) / BrownLanguageModels.SEQUENCE;
            if (window % stride == 0) {
                sum -=
                        Math.log(
                                model.probability(
                                        heldOut, window * BrownLanguageModels.SEQUENCE, i));
                count++;
            }
        }
        return Math.exp(sum / count);
    }

    /**
     * A one-line summary.
     *
     * @return the three perplexities
     */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "Kneser-Ney trigram %.2f, bigram %.2f, trigram on the seen windows %.2f (%,d"
                        + " predictions); trigram on every %dth window %.2f",
                trigram,
                bigram,
                trigramSeenWindows,
                predictions,
                stride,
                trigramSubset);
    }
}
