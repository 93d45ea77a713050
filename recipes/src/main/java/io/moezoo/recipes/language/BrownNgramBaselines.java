package io.moezoo.recipes.language;

import io.moezoo.recipes.ngram.KneserNeyModel;
import java.util.List;
import java.util.Locale;

/**
 * The classical baselines of the Brown language models: interpolated modified Kneser-Ney n-gram
 * models ({@link KneserNeyModel}) trained on the same training stream and token ids as the
 * networks, scored on exactly the held-out predictions of {@link
 * BrownLanguageModels#heldOutPerplexity}: every test token but the first, each from the tokens of
 * its evaluation window before it (the n-gram uses the last n - 1 of them, so it never sees more
 * context than the network). The trigram is also scored on the re-evaluation subset of the cards
 * (every {@code stride}-th evaluation window), beside the network's perplexity on the same subset.
 *
 * <p>Deterministic: integer counts, discounts from count-of-counts, a fixed summation order.
 *
 * @param trigram held-out perplexity of the Kneser-Ney trigram
 * @param bigram held-out perplexity of the Kneser-Ney bigram
 * @param trigramSubset the trigram's perplexity on every {@code stride}-th window
 * @param stride the step between the windows of the subset
 * @param predictions the number of predicted held-out tokens (whole split)
 */
public record BrownNgramBaselines(
        double trigram, double bigram, double trigramSubset, int stride, long predictions) {

    /**
     * Trains the n-gram models on the training stream and measures them on the test stream.
     *
     * @param split the token streams ({@link BrownLanguageModels#tokenize})
     * @param stride the step between the windows of the re-evaluation subset
     * @return the baselines
     */
    public static BrownNgramBaselines measure(BrownSplits split, int stride) {
        int vocabulary = BrownLanguageModels.RECIPE.vocabulary();
        int s = BrownLanguageModels.RECIPE.sequence();
        long[] heldOut = split.test();
        KneserNeyModel trigram = KneserNeyModel.modified(3, vocabulary, List.of(split.train()));
        KneserNeyModel bigram = KneserNeyModel.modified(2, vocabulary, List.of(split.train()));
        return new BrownNgramBaselines(
                perplexity(trigram, heldOut, s, 1),
                perplexity(bigram, heldOut, s, 1),
                perplexity(trigram, heldOut, s, stride),
                stride,
                heldOut.length - 1L);
    }

    /**
     * Held-out perplexity of an n-gram model on the predictions of {@link
     * BrownLanguageModels#heldOutPerplexity}: position {@code i = 1 .. N - 1} predicted from the
     * tokens of its window {@code w = floor((i - 1) / S)}, {@code [S w, i)}; only the windows
     * {@code w} divisible by {@code stride}.
     *
     * @param model the n-gram model
     * @param heldOut the held-out stream
     * @param s the networks' window S
     * @param stride the step between evaluated windows (1: the whole split)
     * @return exp of the mean negative log-probability
     */
    public static double perplexity(KneserNeyModel model, long[] heldOut, int s, int stride) {
        double sum = 0;
        long count = 0;
        for (int i = 1; i < heldOut.length; i++) {
            int window = (i - 1) / s;
            if (window % stride == 0) {
                sum -= Math.log(model.probability(heldOut, window * s, i));
                count++;
            }
        }
        return Math.exp(sum / count);
    }

    /**
     * A one-line summary.
     *
     * @return the perplexities
     */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "Kneser-Ney trigram %.2f, bigram %.2f (%,d predictions); trigram on every %dth"
                        + " window %.2f",
                trigram,
                bigram,
                predictions,
                stride,
                trigramSubset);
    }
}
