package io.moezoo.onnx.moe;

/**
 * The routing values of an exported router inside a graph.
 *
 * @param weights the combine weights {@code [T, k]} (float)
 * @param indices the chosen router outputs {@code [T, k]} (int64); values at or above the number of
 *     real experts are null experts (AdaMoE) and compute nothing
 * @param numChoices E', the router outputs including null experts
 */
public record Routing(String weights, String indices, int numChoices) {}
