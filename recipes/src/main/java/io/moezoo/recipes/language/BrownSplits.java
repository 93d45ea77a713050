package io.moezoo.recipes.language;

/**
 * The Brown corpus as three token streams, split by file: the files sorted by name, index ≡ 9 (mod
 * 10) is the held-out test split the cards report, index ≡ 8 (mod 10) the validation split recipes
 * are chosen on, the rest is trained on. Documents are joined by the end-of-text token.
 *
 * @param train the training stream
 * @param validation the validation stream
 * @param test the held-out test stream
 */
public record BrownSplits(long[] train, long[] validation, long[] test) {

    /**
     * The split a file belongs to.
     *
     * @param index the file's index in name order
     * @return 0 (train), 1 (validation) or 2 (test)
     */
    static int splitOf(int index) {
        return index % 10 == 9 ? 2 : index % 10 == 8 ? 1 : 0;
    }
}
