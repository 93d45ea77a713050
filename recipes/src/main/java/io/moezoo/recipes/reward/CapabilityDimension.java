package io.moezoo.recipes.reward;

import java.util.Locale;

/**
 * The capability dimensions (DMoERM's "capability points", ArmoRM's objectives). Each has its own
 * kind of preference pair; the chosen response is always the true continuation of the prompt.
 */
public enum CapabilityDimension {
    /** Rejected: the same words shuffled (word order destroyed). */
    FLUENCY,
    /**
     * Rejected: two local edits (swap two adjacent words, drop a word, repeat a word, or flip an
     * agreement word such as is/are, was/were, has/have, a/an, this/these).
     */
    GRAMMATICALITY,
    /**
     * Rejected: the passage that <em>precedes</em> the prompt in the same file (sentence order
     * swapped: on topic and fluent, but not what comes next).
     */
    COHERENCE,
    /** Rejected: a passage from another file of the same split (off topic). */
    RELEVANCE;

    /**
     * Returns the lowercase name used in model files and outputs.
     *
     * @return e.g. {@code fluency}
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
