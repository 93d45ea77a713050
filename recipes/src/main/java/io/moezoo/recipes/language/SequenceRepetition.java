package io.moezoo.recipes.language;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How much a token sequence repeats itself: seq-rep-n of Welleck et al. (2019, "Neural Text
 * Generation with Unlikelihood Training"),
 *
 * <pre>
 *   seq-rep-n(x) = 1 − |unique n-grams of x| / |n-grams of x|
 * </pre>
 *
 * <p>0 when no n-gram occurs twice; close to 1 when a continuation loops ("the same of the way, the
 * same of the way, ...").
 */
public final class SequenceRepetition {

    private SequenceRepetition() {}

    /**
     * seq-rep-n of one sequence.
     *
     * @param tokens the sequence
     * @param n the n-gram order, at least 1
     * @return the fraction of n-grams that repeat an earlier one; 0 for a sequence shorter than n
     * @throws IllegalArgumentException if n is below 1
     */
    public static double of(long[] tokens, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n-gram order must be at least 1, got " + n);
        }
        int total = tokens.length - n + 1;
        if (total <= 0) {
            return 0;
        }
        Set<List<Long>> unique = new HashSet<>();
        for (int i = 0; i < total; i++) {
            Long[] gram = new Long[n];
            for (int j = 0; j < n; j++) {
                gram[j] = tokens[i + j];
            }
            unique.add(List.of(gram));
        }
        return 1.0 - (double) unique.size() / total;
    }

    /**
     * The mean seq-rep-n over several sequences.
     *
     * @param sequences the sequences (at least one)
     * @param n the n-gram order
     * @return the mean
     * @throws IllegalArgumentException if there are no sequences or n is below 1
     */
    public static double mean(List<long[]> sequences, int n) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("No sequences to measure");
        }
        double sum = 0;
        for (long[] s : sequences) {
            sum += of(s, n);
        }
        return sum / sequences.size();
    }
}
