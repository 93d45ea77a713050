package io.moezoo.recipes.ngram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Kneser-Ney model against probabilities computed by hand on a ten-token corpus, the modified
 * discounts against hand-computed count-of-counts, and normalisation by brute force over the
 * vocabulary.
 */
class KneserNeyModelTest {

    private static final long A = 0;
    private static final long B = 1;
    private static final long C = 2;
    private static final long D = 3;
    private static final long E = 4;

    /**
     * The hand corpus: a b c a b d a b c b, vocabulary {a, b, c, d, e} (V = 5, e never seen).
     *
     * <pre>
     * trigrams (raw c_3):  abc 2, bca 1, cab 1, abd 1, bda 1, dab 1, bcb 1
     * bigram types:        ab, bc, ca, bd, da, cb
     * c_2 = N1+(. v w) from the trigram types: ab 2 (c, d), bc 1, ca 1, bd 1, da 1, cb 1
     * c_1 = N1+(. w) from the bigram types:    a 2 (c, d), b 2 (a, c), c 1 (b), d 1 (b), e 0
     * </pre>
     */
    private static final long[] CORPUS = {A, B, C, A, B, D, A, B, C, B};

    /** Discounts chosen by hand: D_k(1), D_k(2), D_k(3+) for k = 1, 2, 3. */
    private static final KneserNeyDiscounts HAND =
            new KneserNeyDiscounts(
                    new double[][] {{0.3, 0.6, 0.9}, {0.4, 0.8, 1.2}, {0.5, 1.0, 1.5}});

    private static KneserNeyModel handModel() {
        return new KneserNeyModel(NgramCounts.builder(3, 5).add(CORPUS).build(), HAND);
    }

    @Test
    void countsAreRawAtTheTopAndContinuationCountsBelow() {
        NgramCounts c = NgramCounts.builder(3, 5).add(CORPUS).build();
        NgramKeys k = c.keys();
        assertEquals(2, c.count(3, k.pack(new long[] {A, B, C}, 0, 3)));
        assertEquals(1, c.count(3, k.pack(new long[] {B, C, B}, 0, 3)));
        assertEquals(2, c.count(2, k.pack(new long[] {A, B}, 0, 2)), "ab follows c and d");
        assertEquals(1, c.count(2, k.pack(new long[] {B, C}, 0, 2)), "bc follows a twice");
        assertEquals(2, c.count(1, k.pack(new long[] {A}, 0, 1)));
        assertEquals(1, c.count(1, k.pack(new long[] {C}, 0, 1)));
        assertEquals(0, c.count(1, k.pack(new long[] {E}, 0, 1)));
        // S_1 = 2 + 2 + 1 + 1; N_1 = {c, d}, N_2 = {a, b}
        assertEquals(6, c.contextTotal(1, 0));
        assertEquals(2, c.followers(1, 0, 1));
        assertEquals(2, c.followers(1, 0, 2));
        assertEquals(0, c.followers(1, 0, 3));
        // context ab at order 3: abc 2, abd 1
        long ab = k.pack(new long[] {A, B}, 0, 2);
        assertEquals(3, c.contextTotal(3, ab));
        assertEquals(1, c.followers(3, ab, 1));
        assertEquals(1, c.followers(3, ab, 2));
        // count-of-counts: order 3 {1: 6, 2: 1}, order 2 {1: 5, 2: 1}, order 1 {1: 2, 2: 2}
        assertArrayEquals(new long[] {6, 1, 0, 0}, countOfCounts(c, 3));
        assertArrayEquals(new long[] {5, 1, 0, 0}, countOfCounts(c, 2));
        assertArrayEquals(new long[] {2, 2, 0, 0}, countOfCounts(c, 1));
        assertEquals(10, c.tokens());
    }

    private static long[] countOfCounts(NgramCounts c, int k) {
        long[] n = new long[4];
        for (int i = 1; i <= 4; i++) {
            n[i - 1] = c.countOfCounts(k, i);
        }
        return n;
    }

    /**
     * Hand computation (V = 5, p_0 = 1/5):
     *
     * <pre>
     * order 1: S = 6, gamma_1 = (0.3 * 2 + 0.6 * 2) / 6 = 0.3
     *   p_1(a) = p_1(b) = (2 - 0.6) / 6 + 0.3 / 5 = 88/300
     *   p_1(c) = p_1(d) = (1 - 0.3) / 6 + 0.3 / 5 = 53/300
     *   p_1(e) = 0.3 / 5 = 18/300
     * order 2, context b: c_2(bc) = c_2(bd) = 1, S = 2, gamma = 0.4 * 2 / 2 = 0.4
     *   p_2(c | b) = (1 - 0.4) / 2 + 0.4 * 53/300 = 139/375
     *   p_2(a | b) = 0.4 * 88/300 = 176/1500
     * order 2, context a: c_2(ab) = 2, S = 2, gamma = 0.8 * 1 / 2 = 0.4
     *   p_2(b | a) = (2 - 0.8) / 2 + 0.4 * 88/300 = 0.6 + 176/1500
     * order 3, context ab: c_3(abc) = 2, c_3(abd) = 1, S = 3, gamma = (0.5 + 1.0) / 3 = 0.5
     *   p_3(c | ab) = (2 - 1.0) / 3 + 0.5 * 139/375 = 389/750
     *   p_3(d | ab) = (1 - 0.5) / 3 + 0.5 * 139/375 = 264/750
     *   p_3(a | ab) = 0.5 * 176/1500 = 44/750, p_3(b | ab) likewise
     *   p_3(e | ab) = 0.5 * 0.4 * 18/300 = 9/750;  sum = (389 + 264 + 44 + 44 + 9) / 750 = 1
     * order 3, context cb: never a context (S_3 = 0), so p(a | cb) = p_2(a | b) = 176/1500
     * </pre>
     */
    @Test
    void probabilitiesMatchTheHandComputation() {
        KneserNeyModel m = handModel();
        assertEquals(88.0 / 300, m.probability(new long[0], A), 1e-12);
        assertEquals(53.0 / 300, m.probability(new long[0], D), 1e-12);
        assertEquals(18.0 / 300, m.probability(new long[0], E), 1e-12);
        assertEquals(139.0 / 375, m.probability(new long[] {B}, C), 1e-12);
        assertEquals(176.0 / 1500, m.probability(new long[] {B}, A), 1e-12);
        assertEquals(0.6 + 176.0 / 1500, m.probability(new long[] {A}, B), 1e-12);
        assertEquals(389.0 / 750, m.probability(new long[] {A, B}, C), 1e-12);
        assertEquals(264.0 / 750, m.probability(new long[] {A, B}, D), 1e-12);
        assertEquals(44.0 / 750, m.probability(new long[] {A, B}, A), 1e-12);
        assertEquals(44.0 / 750, m.probability(new long[] {A, B}, B), 1e-12);
        assertEquals(9.0 / 750, m.probability(new long[] {A, B}, E), 1e-12);
        assertEquals(176.0 / 1500, m.probability(new long[] {C, B}, A), 1e-12);
        // a longer context is cut to its last two tokens
        assertEquals(389.0 / 750, m.probability(new long[] {E, D, A, B}, C), 1e-12);
        // an unseen one-token context (e) passes all mass to the unigrams
        assertEquals(88.0 / 300, m.probability(new long[] {E}, A), 1e-12);
        // contextStart limits the context: position 8 (c) after "a b" vs after only "b"
        assertEquals(389.0 / 750, m.probability(CORPUS, 0, 8), 1e-12);
        assertEquals(139.0 / 375, m.probability(CORPUS, 7, 8), 1e-12);
        assertEquals(
                Math.log(88.0 / 300) + Math.log(0.6 + 176.0 / 1500) + Math.log(389.0 / 750),
                m.logProbability(new long[] {A, B, C}, 0, 0, 3),
                1e-12);
    }

    /**
     * Unigram counts (order 1, raw): four tokens once, two twice, one three times, one four times,
     * so n_1 = 4, n_2 = 2, n_3 = 1, n_4 = 1 and Y = 4 / (4 + 2 * 2) = 1/2, D(1) = 1 - 2 * 1/2 * 2/4
     * = 1/2, D(2) = 2 - 3 * 1/2 * 1/2 = 5/4, D(3+) = 3 - 4 * 1/2 * 1/1 = 1.
     */
    @Test
    void modifiedDiscountsFollowChenAndGoodman() {
        long[] corpus = {0, 1, 2, 3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 7, 7};
        NgramCounts c = NgramCounts.builder(1, 9).add(corpus).build();
        KneserNeyDiscounts d = KneserNeyDiscounts.modified(c);
        assertArrayEquals(new double[] {0.5, 1.25, 1.0}, d.byOrder()[0], 1e-15);
        assertEquals(1.0, d.discount(1, 7), 0);
        assertEquals(0.0, d.discount(1, 0), 0);
        // p(8), never seen: gamma = (0.5 * 4 + 1.25 * 2 + 1 * 2) / 15 = 6.5 / 15, times 1/9
        KneserNeyModel m = new KneserNeyModel(c, d);
        assertEquals(6.5 / 15 / 9, m.probability(new long[0], 8), 1e-15);
        // p(7) = (4 - 1) / 15 + 6.5 / 15 / 9
        assertEquals(3.0 / 15 + 6.5 / 15 / 9, m.probability(new long[0], 7), 1e-15);
    }

    @Test
    void everyDistributionSumsToOneAndIsPositive() {
        int vocabulary = 3000;
        long[] corpus = zipf(20_000, 2500, 7);
        KneserNeyModel trigram = KneserNeyModel.modified(3, vocabulary, List.of(corpus));
        KneserNeyModel bigram = KneserNeyModel.modified(2, vocabulary, List.of(corpus));
        for (double[] ds : trigram.discounts().byOrder()) {
            assertTrue(ds[0] > 0 && ds[0] < 1 && ds[1] > 0 && ds[2] > 0, ds[0] + " " + ds[1]);
        }
        List<long[]> contexts = new ArrayList<>();
        contexts.add(new long[0]);
        contexts.add(new long[] {0});
        contexts.add(new long[] {2999});
        contexts.add(new long[] {corpus[100], corpus[101]});
        contexts.add(new long[] {0, 0});
        contexts.add(new long[] {5, 2999});
        contexts.add(new long[] {2800, 3});
        for (KneserNeyModel m : List.of(trigram, bigram)) {
            for (long[] context : contexts) {
                double sum = 0;
                for (long w = 0; w < vocabulary; w++) {
                    double p = m.probability(context, w);
                    assertTrue(p > 0, "p(" + w + ") = " + p);
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-12, java.util.Arrays.toString(context));
            }
        }
        // and with explicit discounts at the bounds (D(i) = i: all seen mass moved down)
        KneserNeyModel edge =
                new KneserNeyModel(
                        trigram.counts(),
                        new KneserNeyDiscounts(new double[][] {{1, 2, 3}, {0, 0, 0}, {1, 1.5, 3}}));
        double sum = 0;
        for (long w = 0; w < vocabulary; w++) {
            sum += edge.probability(new long[] {corpus[100], corpus[101]}, w);
        }
        assertEquals(1.0, sum, 1e-12);
    }

    @Test
    void sequencesAreCountedSeparately() {
        NgramCounts c =
                NgramCounts.builder(2, 5).add(new long[] {A, B}).add(new long[] {C, D}).build();
        assertEquals(0, c.count(2, c.keys().pack(new long[] {B, C}, 0, 2)));
        assertEquals(1, c.count(2, c.keys().pack(new long[] {C, D}, 0, 2)));
        assertEquals(4, c.tokens());
    }

    @Test
    void badInputGetsTypedErrors() {
        assertThrows(InvalidNgramInputException.class, () -> NgramCounts.builder(0, 5));
        assertThrows(InvalidNgramInputException.class, () -> NgramCounts.builder(4, 50257));
        assertThrows(InvalidNgramInputException.class, () -> NgramCounts.builder(2, 0));
        assertThrows(
                InvalidNgramInputException.class,
                () -> NgramCounts.builder(2, 5).add(new long[] {1, 5}));
        assertThrows(
                InvalidNgramInputException.class,
                () -> NgramCounts.builder(2, 5).add(new long[] {1, -1}));
        assertThrows(
                InvalidNgramInputException.class,
                () -> NgramCounts.builder(2, 5).add(new long[] {1, 2}, 1, 3));
        assertThrows(InvalidNgramInputException.class, () -> NgramCounts.builder(2, 5).build());
        assertThrows(
                InvalidNgramInputException.class,
                () -> new KneserNeyDiscounts(new double[][] {{1.2, 1, 1}}));
        assertThrows(
                InvalidNgramInputException.class,
                () -> new KneserNeyDiscounts(new double[][] {{0.5, Double.NaN, 1}}));
        assertThrows(
                InvalidNgramInputException.class,
                () -> KneserNeyDiscounts.modified(NgramCounts.builder(3, 5).add(CORPUS).build()));
        NgramCounts c = NgramCounts.builder(3, 5).add(CORPUS).build();
        assertThrows(
                InvalidNgramInputException.class,
                () -> new KneserNeyModel(c, KneserNeyDiscounts.single(0.1, 0.1)));
        KneserNeyModel m = handModel();
        assertThrows(InvalidNgramInputException.class, () -> m.probability(new long[] {A}, 5));
        assertThrows(InvalidNgramInputException.class, () -> m.probability(new long[] {9}, A));
        assertThrows(InvalidNgramInputException.class, () -> m.probability(CORPUS, 5, 4));
    }

    /** A deterministic Zipf-like stream over tokens 0..distinct-1. */
    static long[] zipf(int length, int distinct, long seed) {
        Random rng = new Random(seed);
        double[] cumulative = new double[distinct];
        double total = 0;
        for (int t = 0; t < distinct; t++) {
            total += 1.0 / (t + 1);
            cumulative[t] = total;
        }
        long[] out = new long[length];
        long previous = 0;
        for (int i = 0; i < length; i++) {
            // some dependence on the previous token, so that higher orders carry information
            if (rng.nextDouble() < 0.3) {
                out[i] = (previous * 7 + 3) % distinct;
            } else {
                double u = rng.nextDouble() * total;
                int t = java.util.Arrays.binarySearch(cumulative, u);
                out[i] = t >= 0 ? t : -t - 1;
            }
            previous = out[i];
        }
        return out;
    }
}
