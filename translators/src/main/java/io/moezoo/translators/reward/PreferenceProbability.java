package io.moezoo.translators.reward;

/**
 * The Bradley–Terry preference of a pair: \(P(\text{chosen} \succ \text{rejected}) = \sigma(r_c -
 * r_r)\).
 *
 * @param probability the probability that the chosen response is preferred
 * @param chosen the chosen response's score
 * @param rejected the rejected response's score
 */
public record PreferenceProbability(float probability, RewardScore chosen, RewardScore rejected) {}
