/**
 * DJL translators for the zoo's reward models: (prompt, response) → scalar reward with the
 * per-objective scores, and (prompt, chosen, rejected) → preference probability \(\sigma(r_c -
 * r_r)\). Text is encoded as UTF-8 bytes ({@link io.moezoo.translators.reward.RewardTextEncoding}).
 */
package io.moezoo.translators.reward;
