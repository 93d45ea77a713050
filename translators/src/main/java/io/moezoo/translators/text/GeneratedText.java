package io.moezoo.translators.text;

/**
 * The result of text generation.
 *
 * @param text the decoded continuation
 * @param tokenIds the generated token ids (without the prompt and without a stop token; with the
 *     tokens that spelled a stop string)
 * @param stoppedByToken true if a stop token or stop string ended generation, false if it hit the
 *     token limit
 */
public record GeneratedText(String text, long[] tokenIds, boolean stoppedByToken) {}
