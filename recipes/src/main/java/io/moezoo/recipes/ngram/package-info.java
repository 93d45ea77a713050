/**
 * Classical n-gram language models over token ids, the baselines of the language and reward
 * families: {@link io.moezoo.recipes.ngram.NgramCounts} counts n-grams (raw counts at the highest
 * order, continuation counts below) in memory-bounded primitive hash maps of packed n-grams ({@link
 * io.moezoo.recipes.ngram.NgramKeys}); {@link io.moezoo.recipes.ngram.KneserNeyDiscounts} holds the
 * discounts (modified Kneser-Ney: three per order, estimated from count-of-counts); {@link
 * io.moezoo.recipes.ngram.KneserNeyModel} interpolates every order down to the uniform distribution
 * over the vocabulary. Cross-checked against nltk's {@code KneserNeyInterpolated} by {@code
 * recipes/src/test/python/nltk_kneser_ney_fixture.py} ({@code KneserNeyReferenceTest}).
 */
package io.moezoo.recipes.ngram;
