package io.moezoo.recipes.ngram;

/**
 * The counts an interpolated Kneser-Ney model of order {@code n} needs, from token sequences.
 *
 * <p>For the highest order {@code k = n} the count of a k-gram is its raw count {@code c(w_1..w_k)}
 * in the data. For a lower order {@code 1 <= k < n} it is the <em>continuation count</em> {@code
 * N1+(. w_1..w_k)}: the number of distinct tokens {@code v} such that the (k+1)-gram {@code (v
 * w_1..w_k)} occurs (Chen &amp; Goodman 1999, section 3.5; KenLM's "adjusted counts"). Writing
 * {@code c_k} for these counts, for every context {@code h} of order k (its first k - 1 tokens) the
 * model also needs {@code S_k(h) = sum_w c_k(h w)} and {@code N_i(h .)} = the number of {@code w}
 * with {@code c_k(h w) = i} for {@code i = 1, 2} and {@code >= 3}; for the discounts, the
 * count-of-counts {@code n_{k,i}} = the number of k-grams with {@code c_k = i}, {@code i = 1..4}.
 *
 * <p>Sequences are independent: no n-gram spans two of them (a sequence boundary is not a token).
 * N-grams are hashed as {@link NgramKeys} in {@link LongCountMap}s; {@code N_1, N_2, N_3+} of one
 * context are packed into one long of three 21-bit fields, which holds any vocabulary below 2^21.
 */
public final class NgramCounts {

    private static final int FIELD = 21;
    private static final long FIELD_MASK = (1L << FIELD) - 1;

    private final NgramKeys keys;
    private final int order;
    private final long tokens;
    private final LongCountMap[] counts;
    private final LongCountMap[] totals;
    private final LongCountMap[] followers;
    private final long[][] countOfCounts;

    private NgramCounts(Builder b) {
        this.keys = b.keys;
        this.order = b.order;
        this.tokens = b.tokens;
        this.counts = new LongCountMap[order + 1];
        this.totals = new LongCountMap[order + 1];
        this.followers = new LongCountMap[order + 1];
        this.countOfCounts = new long[order + 1][5];
        counts[order] = b.raw[order];
        for (int k = order - 1; k >= 1; k--) {
            LongCountMap continuation = new LongCountMap(b.raw[k + 1].size());
            int higher = k + 1;
            b.raw[k + 1].forEach((key, c) -> continuation.add(keys.suffix(key, higher), 1));
            counts[k] = continuation;
            b.raw[k + 1] = null;
        }
        for (int k = 1; k <= order; k++) {
            LongCountMap total = new LongCountMap();
            LongCountMap follow = new LongCountMap();
            long[] n = countOfCounts[k];
            counts[k].forEach(
                    (key, c) -> {
                        long context = keys.context(key);
                        total.add(context, c);
                        follow.add(context, 1L << (FIELD * (int) (Math.min(c, 3) - 1)));
                        if (c <= 4) {
                            n[(int) c]++;
                        }
                    });
            totals[k] = total;
            followers[k] = follow;
        }
    }

    /**
     * Starts counting.
     *
     * @param order the highest order n
     * @param vocabulary the number of token ids
     * @return a builder
     * @throws InvalidNgramInputException if the order is below 1 or its keys do not fit in 63 bits,
     *     or the vocabulary is below 1 or not below 2^21
     */
    public static Builder builder(int order, int vocabulary) {
        return new Builder(order, vocabulary);
    }

    /**
     * Returns the packing.
     *
     * @return the keys
     */
    public NgramKeys keys() {
        return keys;
    }

    /**
     * Returns the highest order.
     *
     * @return n
     */
    public int order() {
        return order;
    }

    /**
     * Returns the number of tokens counted.
     *
     * @return the tokens of all sequences
     */
    public long tokens() {
        return tokens;
    }

    /**
     * Returns {@code c_k} of a k-gram: its raw count if {@code k = n}, its continuation count
     * below.
     *
     * @param k the order of the n-gram
     * @param key the packed k-gram
     * @return the count (0 if unseen)
     */
    public long count(int k, long key) {
        return counts[k].get(key);
    }

    /**
     * Returns {@code S_k(h) = sum_w c_k(h w)}.
     *
     * @param k the order of the n-grams {@code h w}
     * @param context the packed context h (k - 1 tokens; 0 when k = 1)
     * @return the total (0 if h was never followed by anything)
     */
    public long contextTotal(int k, long context) {
        return totals[k].get(context);
    }

    /**
     * Returns {@code N_i(h .)}: how many tokens w have {@code c_k(h w) = i}, or {@code >= 3} for
     * {@code i = 3}.
     *
     * @param k the order of the n-grams {@code h w}
     * @param context the packed context h
     * @param i 1, 2 or 3 (meaning 3 or more)
     * @return the number of such tokens
     */
    public long followers(int k, long context, int i) {
        return (followers[k].get(context) >>> (FIELD * (i - 1))) & FIELD_MASK;
    }

    /**
     * Returns the count-of-counts {@code n_{k,i}}: how many k-grams have {@code c_k = i}.
     *
     * @param k the order
     * @param i the count, 1 to 4
     * @return the number of k-grams
     */
    public long countOfCounts(int k, int i) {
        return countOfCounts[k][i];
    }

    /**
     * Returns how many distinct k-grams have a non-zero {@code c_k}.
     *
     * @param k the order
     * @return the number of k-grams
     */
    public int distinct(int k) {
        return counts[k].size();
    }

    /** Accumulates raw n-gram counts of every order from token sequences. */
    public static final class Builder {

        private final NgramKeys keys;
        private final int order;
        private final LongCountMap[] raw;
        private long tokens;
        private boolean built;

        private Builder(int order, int vocabulary) {
            this.keys = new NgramKeys(vocabulary);
            if (vocabulary >= 1 << FIELD) {
                throw new InvalidNgramInputException(
                        "The vocabulary must be below 2^" + FIELD + ", got " + vocabulary);
            }
            if (order < 1 || order > keys.maxOrder()) {
                throw new InvalidNgramInputException(
                        "The order must be in [1, "
                                + keys.maxOrder()
                                + "] for a vocabulary of "
                                + vocabulary
                                + ", got "
                                + order);
            }
            this.order = order;
            this.raw = new LongCountMap[order + 1];
            for (int k = Math.min(2, order); k <= order; k++) {
                raw[k] = new LongCountMap(1 << 12);
            }
        }

        /**
         * Counts one whole sequence.
         *
         * @param sequence the token ids
         * @return this builder
         * @throws InvalidNgramInputException if a token is outside the vocabulary
         */
        public Builder add(long[] sequence) {
            return add(sequence, 0, sequence.length);
        }

        /**
         * Counts {@code sequence[from, to)} as one sequence: every k-gram inside it, none that
         * crosses its ends.
         *
         * @param sequence the token ids
         * @param from the first position
         * @param to one past the last position
         * @return this builder
         * @throws InvalidNgramInputException if a token is outside the vocabulary, the range is
         *     invalid or the counts were already built
         */
        public Builder add(long[] sequence, int from, int to) {
            if (built) {
                throw new InvalidNgramInputException("build() was already called");
            }
            if (from < 0 || to > sequence.length || from > to) {
                throw new InvalidNgramInputException(
                        "Range [" + from + ", " + to + ") is not inside 0.." + sequence.length);
            }
            for (int i = from; i < to; i++) {
                keys.append(0, sequence[i]);
            }
            int bits = keys.bits();
            for (int i = from; i < to; i++) {
                long key = 0;
                for (int k = 1; k <= order && i - k + 1 >= from; k++) {
                    key |= (sequence[i - k + 1] + 1) << (bits * (k - 1));
                    if (raw[k] != null) {
                        raw[k].add(key, 1);
                    }
                }
            }
            tokens += to - from;
            return this;
        }

        /**
         * Derives the continuation counts and the per-context statistics.
         *
         * @return the counts
         * @throws InvalidNgramInputException if nothing was counted or build() was already called
         */
        public NgramCounts build() {
            if (built) {
                throw new InvalidNgramInputException("build() was already called");
            }
            if (tokens == 0) {
                throw new InvalidNgramInputException("No tokens were counted");
            }
            built = true;
            return new NgramCounts(this);
        }
    }
}
