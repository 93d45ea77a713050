/**
 * An FFORMA-style mixture of forecasting experts: series features ({@link
 * io.moezoo.recipes.timeseries.mixture.SeriesFeatures}) are mapped by a trained softmax router
 * ({@link io.moezoo.recipes.timeseries.mixture.SoftmaxRouter}) to weights over the experts naive,
 * seasonal naive, ETS, Theta, Comb S-H-D, automatic ARIMA and the Time-MoE network ({@link
 * io.moezoo.recipes.timeseries.mixture.ExpertPanel}); the forecast is the weighted combination.
 * {@link io.moezoo.recipes.timeseries.mixture.MixtureRecipe} trains the router on windows of R's
 * bundled series, earlier windows of the vega training series and KernelSynth-style synthetic
 * series ({@link io.moezoo.recipes.timeseries.mixture.KernelSynth}), chooses its loss and
 * regularisation on a validation split and measures it on the {@code time-moe-vega} card's two
 * sets.
 */
package io.moezoo.recipes.timeseries.mixture;
