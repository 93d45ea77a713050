package io.moezoo.translators.text;

/**
 * The score of a text under a causal language model.
 *
 * @param tokenIds the text's token ids
 * @param logProbs \(\log p(t_i \mid t_{&lt;i})\) for tokens 1 … n-1 (natural log)
 * @param perplexity \(\exp(-\mathrm{mean}(\text{logProbs}))\)
 */
public record SequenceScore(long[] tokenIds, float[] logProbs, double perplexity) {}
