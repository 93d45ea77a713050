/**
 * The Brown-corpus language models of the zoo: their specs, training and publication, their
 * held-out evaluation over the whole held-out split and their classical Kneser-Ney baselines on the
 * same tokens ({@link io.moezoo.recipes.language.BrownNgramBaselines}, reported by {@link
 * io.moezoo.recipes.language.BrownReevaluation} on the cards).
 */
package io.moezoo.recipes.language;
