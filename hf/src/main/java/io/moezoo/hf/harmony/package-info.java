/**
 * OpenAI's harmony response format, which gpt-oss ({@code model_type: gpt_oss}) is trained on:
 * {@link io.moezoo.hf.harmony.HarmonyFormat} renders a conversation into the harmony prompt, and
 * {@link io.moezoo.hf.harmony.HarmonyParser} splits the model's reply, piece by piece as it is
 * generated, into its messages and their channels ({@code analysis}, {@code commentary}, {@code
 * final}). {@link io.moezoo.hf.harmony.HarmonyToken} lists the special tokens and their ids in the
 * {@code o200k_harmony} encoding.
 */
package io.moezoo.hf.harmony;
