package io.moezoo.recipes.timeseries.mixture;

/**
 * The scores of one held-out tail: every expert of {@link ExpertPanel#EXPERTS} and, last, the
 * mixture.
 *
 * @param name the series
 * @param season the decided season m (of the MASE scale)
 * @param horizon H
 * @param weights the router's weights over its experts
 * @param mase MASE per expert, then the mixture's
 * @param smape sMAPE (percent) per expert, then the mixture's
 */
public record MixtureScore(
        String name, int season, int horizon, double[] weights, double[] mase, double[] smape) {}
