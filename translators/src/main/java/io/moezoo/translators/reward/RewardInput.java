package io.moezoo.translators.reward;

/**
 * One text to score: the prompt (preceding context) and the response (its continuation).
 *
 * @param prompt the context the response answers or continues
 * @param response the text that is scored
 */
public record RewardInput(String prompt, String response) {}
