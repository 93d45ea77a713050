package io.moezoo.recipes.language;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moezoo.recipes.ngram.KneserNeyModel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The n-gram baselines' evaluation windows, on synthetic tokens. */
class BrownNgramBaselinesTest {

    /**
     * 200 tokens are 199 predictions in windows of 64, 64, 64 and 7: each window's tokens are
     * predicted from the tokens of that window only.
     */
    @Test
    void perplexityScoresEachWindowFromItsOwnTokens() {
        Random rng = new Random(3);
        long[] train = new long[5000];
        for (int i = 0; i < train.length; i++) {
            train[i] = skewed(rng);
        }
        long[] heldOut = new long[200];
        for (int i = 0; i < heldOut.length; i++) {
            heldOut[i] = skewed(rng);
        }
        KneserNeyModel model = KneserNeyModel.modified(3, 1000, List.of(train));
        double[] windowLog = new double[4];
        int[] ends = {65, 129, 193, 200};
        for (int w = 0; w < 4; w++) {
            windowLog[w] = model.logProbability(heldOut, 64 * w, 64 * w + 1, ends[w]);
        }
        double all = windowLog[0] + windowLog[1] + windowLog[2] + windowLog[3];
        assertEquals(
                Math.exp(-all / 199), BrownNgramBaselines.perplexity(model, heldOut, 64, 1), 1e-9);
        assertEquals(
                Math.exp(-(windowLog[0] + windowLog[2]) / 128),
                BrownNgramBaselines.perplexity(model, heldOut, 64, 2),
                1e-9);
        assertEquals(
                Math.exp(-windowLog[0] / 64),
                BrownNgramBaselines.perplexity(model, heldOut, 64, 4),
                1e-9);
    }

    /** A token in [0, 700), small ids much more frequent (so that n-grams repeat). */
    private static long skewed(Random rng) {
        return (long) (700 * Math.pow(rng.nextDouble(), 4));
    }
}
