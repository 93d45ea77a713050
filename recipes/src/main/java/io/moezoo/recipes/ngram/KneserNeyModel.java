package io.moezoo.recipes.ngram;

/**
 * An interpolated Kneser-Ney n-gram language model over token ids (Chen &amp; Goodman 1999, "An
 * empirical study of smoothing techniques for language modeling", eq. 17 with the modified
 * discounts of section 3.5).
 *
 * <p>With {@code c_k} the counts of {@link NgramCounts} (raw at the highest order, continuation
 * counts below), {@code S_k(h) = sum_w c_k(h w)}, {@code N_i(h .)} the number of tokens {@code w}
 * with {@code c_k(h w) = i} ({@code >= 3} for {@code i = 3}) and {@code D_k} the {@link
 * KneserNeyDiscounts}, the probability of token {@code w} after the context {@code h} of k - 1
 * tokens is
 *
 * <pre>
 *   p_k(w | h) = max(c_k(h w) - D_k(c_k(h w)), 0) / S_k(h) + gamma_k(h) p_{k-1}(w | h')
 *   gamma_k(h) = (D_k(1) N_1(h .) + D_k(2) N_2(h .) + D_k(3+) N_3+(h .)) / S_k(h)
 *   p_0(w)     = 1 / V
 * </pre>
 *
 * where {@code h'} is {@code h} without its first token. A context never seen as a context ({@code
 * S_k(h) = 0}) passes all its mass down: {@code p_k(w | h) = p_{k-1}(w | h')}. The recursion ends
 * in the uniform distribution over the V tokens of the vocabulary, so with modified discounts
 * (which are positive) every token has {@code p > 0}, and for any discounts in {@code [0, i]} the
 * distribution over the vocabulary sums to 1. A query with a context shorter than n - 1 tokens (the
 * start of a sequence) starts the recursion at order {@code |h| + 1}; a longer context is cut to
 * its last n - 1 tokens. Everything is integer counting and a fixed order of floating-point
 * operations, so results are deterministic.
 */
public final class KneserNeyModel {

    private final NgramCounts counts;
    private final KneserNeyDiscounts discounts;
    private final NgramKeys keys;
    private final double uniform;

    /**
     * Creates a model.
     *
     * @param counts the counts
     * @param discounts one set of discounts per order of the counts
     * @throws InvalidNgramInputException if the orders differ
     */
    public KneserNeyModel(NgramCounts counts, KneserNeyDiscounts discounts) {
        if (discounts.order() != counts.order()) {
            throw new InvalidNgramInputException(
                    "The counts have order "
                            + counts.order()
                            + " but the discounts order "
                            + discounts.order());
        }
        this.counts = counts;
        this.discounts = discounts;
        this.keys = counts.keys();
        this.uniform = 1.0 / keys.vocabulary();
    }

    /**
     * Counts the sequences and builds a modified Kneser-Ney model with the estimated discounts.
     *
     * @param order n
     * @param vocabulary V
     * @param sequences the training sequences (no n-gram spans two of them)
     * @return the model
     * @throws InvalidNgramInputException if a token is outside the vocabulary or the data are too
     *     sparse to estimate the discounts
     */
    public static KneserNeyModel modified(int order, int vocabulary, Iterable<long[]> sequences) {
        NgramCounts.Builder builder = NgramCounts.builder(order, vocabulary);
        for (long[] s : sequences) {
            builder.add(s);
        }
        NgramCounts c = builder.build();
        return new KneserNeyModel(c, KneserNeyDiscounts.modified(c));
    }

    /**
     * Returns the order.
     *
     * @return n
     */
    public int order() {
        return counts.order();
    }

    /**
     * Returns the vocabulary size.
     *
     * @return V
     */
    public int vocabulary() {
        return keys.vocabulary();
    }

    /**
     * Returns the discounts.
     *
     * @return the discounts
     */
    public KneserNeyDiscounts discounts() {
        return discounts;
    }

    /**
     * Returns the counts.
     *
     * @return the counts
     */
    public NgramCounts counts() {
        return counts;
    }

    /**
     * Returns {@code p(tokens[position] | tokens[max(contextStart, position - n + 1), position))}.
     *
     * @param tokens the token ids
     * @param contextStart the first position the context may use
     * @param position the position of the predicted token ({@code >= contextStart})
     * @return the probability, in {@code (0, 1]} with modified discounts
     * @throws InvalidNgramInputException if a token is outside the vocabulary or the positions are
     *     invalid
     */
    public double probability(long[] tokens, int contextStart, int position) {
        if (contextStart < 0 || position < contextStart || position >= tokens.length) {
            throw new InvalidNgramInputException(
                    "Need 0 <= contextStart <= position < "
                            + tokens.length
                            + ", got "
                            + contextStart
                            + ", "
                            + position);
        }
        int from = Math.max(contextStart, position - order() + 1);
        int m = position - from + 1;
        long word = tokens[position];
        keys.append(0, word);
        double p = uniform;
        long context = 0;
        for (int k = 1; k <= m; k++) {
            // h = tokens[position - k + 1, position): grow the context by one token to the left
            if (k > 1) {
                long t = tokens[position - k + 1];
                keys.append(0, t);
                context |= (t + 1) << (keys.bits() * (k - 2));
            }
            long total = counts.contextTotal(k, context);
            if (total == 0) {
                continue;
            }
            long c = counts.count(k, (context << keys.bits()) | (word + 1));
            double gamma =
                    (discounts.discount(k, 1) * counts.followers(k, context, 1)
                                    + discounts.discount(k, 2) * counts.followers(k, context, 2)
                                    + discounts.discount(k, 3) * counts.followers(k, context, 3))
                            / total;
            p = Math.max(c - discounts.discount(k, c), 0.0) / total + gamma * p;
        }
        return p;
    }

    /**
     * Returns {@code p(word | context)}, the context cut to its last n - 1 tokens.
     *
     * @param context the preceding token ids, oldest first (may be empty)
     * @param word the predicted token id
     * @return the probability
     * @throws InvalidNgramInputException if a token is outside the vocabulary
     */
    public double probability(long[] context, long word) {
        long[] tokens = java.util.Arrays.copyOf(context, context.length + 1);
        tokens[context.length] = word;
        return probability(tokens, 0, context.length);
    }

    /**
     * Returns the natural-log probability of {@code tokens[from, to)}, each token predicted from
     * the tokens before it that are at or after {@code contextStart}.
     *
     * @param tokens the token ids
     * @param contextStart the first position any context may use
     * @param from the first predicted position ({@code >= contextStart})
     * @param to one past the last predicted position
     * @return {@code sum_{i in [from, to)} ln p(tokens[i] | ...)}
     * @throws InvalidNgramInputException if a token is outside the vocabulary or the positions are
     *     invalid
     */
    public double logProbability(long[] tokens, int contextStart, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += Math.log(probability(tokens, contextStart, i));
        }
        return sum;
    }
}
