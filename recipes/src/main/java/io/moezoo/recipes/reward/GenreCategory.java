package io.moezoo.recipes.reward;

import java.util.List;
import java.util.Locale;

/**
 * The task categories of the outer router: the 15 Brown genres grouped by the corpus's own sections
 * (press A–C, general non-fiction D–H, learned J, imaginative prose K–R), so that every category
 * has enough files (training files: 79 / 185 / 72 / 114).
 */
public enum GenreCategory {
    /** Press: reportage, editorial, reviews (Brown A–C). */
    PRESS("news", "editorial", "reviews"),
    /**
     * General non-fiction: religion, skills and hobbies, popular lore, belles lettres, government.
     */
    NONFICTION("religion", "hobbies", "lore", "belles_lettres", "government"),
    /** Learned and scientific writing (Brown J). */
    LEARNED("learned"),
    /** Imaginative prose: general fiction, mystery, science fiction, adventure, romance, humor. */
    FICTION("fiction", "mystery", "science_fiction", "adventure", "romance", "humor");

    private final List<String> genres;

    GenreCategory(String... genres) {
        this.genres = List.of(genres);
    }

    /**
     * Returns the Brown genres of this category.
     *
     * @return the genre names
     */
    public List<String> genres() {
        return genres;
    }

    /**
     * Returns the lowercase name used in model files and outputs.
     *
     * @return e.g. {@code press}
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the category of a Brown genre.
     *
     * @param genre a genre name, e.g. {@code mystery}
     * @return its category
     * @throws IllegalArgumentException if the genre is not one of the 15 Brown genres
     */
    public static GenreCategory of(String genre) {
        for (GenreCategory c : values()) {
            if (c.genres.contains(genre)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown Brown genre '" + genre + "'");
    }
}
