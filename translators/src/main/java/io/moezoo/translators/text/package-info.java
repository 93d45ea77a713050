/**
 * Text generation and scoring for causal language models whose block follows the stateless KV
 * protocol {@code [ids, k_0, v_0, …] -> [logits, k_0, v_0, …]} (as {@code MoeCausalLm} does): the
 * predictor runs the prefill, the translator decodes token by token with the returned keys and
 * values.
 */
package io.moezoo.translators.text;
