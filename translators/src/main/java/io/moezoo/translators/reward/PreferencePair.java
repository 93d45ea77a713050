package io.moezoo.translators.reward;

/**
 * Two responses to one prompt, the first presumed preferred.
 *
 * @param prompt the shared context
 * @param chosen the response presumed better
 * @param rejected the response presumed worse
 */
public record PreferencePair(String prompt, String chosen, String rejected) {}
