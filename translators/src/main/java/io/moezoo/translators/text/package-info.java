/**
 * Text generation and scoring for causal language models whose block follows the stateless KV
 * protocol {@code [ids, k_0, v_0, …] -> [logits, k_0, v_0, …]} (as {@code MoeCausalLm} does): the
 * predictor runs the prefill, the translator decodes token by token. A block that is also an {@link
 * io.moezoo.translators.text.IncrementalDecoder} keeps its cache between steps, and the translator
 * decodes through that instead of passing the cache in and out at every token.
 */
package io.moezoo.translators.text;
