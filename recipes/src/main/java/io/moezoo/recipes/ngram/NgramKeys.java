package io.moezoo.recipes.ngram;

/**
 * Packs n-grams of token ids into one non-negative {@code long}: with {@code b} bits per token (the
 * fewest with {@code vocabulary < 2^b}), the k-gram {@code (t_1, ..., t_k)} is {@code sum_i (t_i +
 * 1) << (b (k - i))}. The {@code + 1} makes every token a non-zero digit, so the k-gram keys of one
 * order are distinct, the empty context is key 0, the context of a k-gram is {@code key >>> b} and
 * its suffix (the k-gram without its first token) is {@code key} masked to its last {@code b (k -
 * 1)} bits. GPT-2's 50,257 tokens take 16 bits, so orders up to 3 fit in 63 bits.
 */
public final class NgramKeys {

    private final int vocabulary;
    private final int bits;
    private final int maxOrder;

    /**
     * Creates the packing for a vocabulary.
     *
     * @param vocabulary the number of token ids, {@code 0 .. vocabulary - 1}
     * @throws InvalidNgramInputException if the vocabulary is below 1
     */
    public NgramKeys(int vocabulary) {
        if (vocabulary < 1) {
            throw new InvalidNgramInputException(
                    "The vocabulary must hold at least 1 token, got " + vocabulary);
        }
        this.vocabulary = vocabulary;
        this.bits = 32 - Integer.numberOfLeadingZeros(vocabulary);
        this.maxOrder = 63 / bits;
    }

    /**
     * Returns the vocabulary size.
     *
     * @return V
     */
    public int vocabulary() {
        return vocabulary;
    }

    /**
     * Returns the bits per token.
     *
     * @return b
     */
    public int bits() {
        return bits;
    }

    /**
     * Returns the highest order whose keys fit in 63 bits.
     *
     * @return {@code floor(63 / b)}
     */
    public int maxOrder() {
        return maxOrder;
    }

    /**
     * Packs {@code tokens[from, to)}.
     *
     * @param tokens the token ids
     * @param from the first position
     * @param to one past the last position ({@code to - from <= maxOrder()})
     * @return the key (0 for the empty n-gram)
     * @throws InvalidNgramInputException if a token is outside the vocabulary
     */
    public long pack(long[] tokens, int from, int to) {
        long key = 0;
        for (int i = from; i < to; i++) {
            key = append(key, tokens[i]);
        }
        return key;
    }

    /**
     * Appends one token to a packed n-gram.
     *
     * @param key the packed n-gram (its order plus one must not exceed {@link #maxOrder()})
     * @param token the token id
     * @return the packed (n+1)-gram
     * @throws InvalidNgramInputException if the token is outside the vocabulary
     */
    public long append(long key, long token) {
        if (token < 0 || token >= vocabulary) {
            throw new InvalidNgramInputException(
                    "Token id " + token + " is outside the vocabulary [0, " + vocabulary + ")");
        }
        return (key << bits) | (token + 1);
    }

    /**
     * Returns the context of a packed k-gram: its first k - 1 tokens.
     *
     * @param key the packed k-gram
     * @return the packed (k-1)-gram
     */
    public long context(long key) {
        return key >>> bits;
    }

    /**
     * Returns the suffix of a packed k-gram: its last k - 1 tokens.
     *
     * @param key the packed k-gram
     * @param order k
     * @return the packed (k-1)-gram
     */
    public long suffix(long key, int order) {
        return key & ((1L << (bits * (order - 1))) - 1);
    }
}
