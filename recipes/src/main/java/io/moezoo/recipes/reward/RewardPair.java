package io.moezoo.recipes.reward;

/**
 * One preference pair built from the Brown corpus.
 *
 * @param file the Brown file the prompt and the chosen response come from
 * @param genre that file's genre
 * @param dimension the capability dimension the pair tests
 * @param prompt the preceding context
 * @param chosen the true continuation
 * @param rejected the corrupted or substituted continuation
 */
public record RewardPair(
        String file,
        String genre,
        CapabilityDimension dimension,
        String prompt,
        String chosen,
        String rejected) {

    /**
     * Returns the genre category.
     *
     * @return the category of {@link #genre}
     */
    public GenreCategory category() {
        return GenreCategory.of(genre);
    }
}
