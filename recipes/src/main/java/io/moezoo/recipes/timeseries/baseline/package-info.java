/**
 * Classical forecasting baselines of the time-series family, deterministic and in plain Java: the
 * data-driven seasonality test ({@link io.moezoo.recipes.timeseries.baseline.Seasonality}), naive
 * and seasonal naive, additive-error exponential smoothing with AICc selection ({@link
 * io.moezoo.recipes.timeseries.baseline.Ets}) and the Theta method ({@link
 * io.moezoo.recipes.timeseries.baseline.Theta}); {@link
 * io.moezoo.recipes.timeseries.baseline.BaselineForecasts} runs them all on one history. They are
 * cross-checked against R's {@code forecast} package by {@code
 * recipes/src/test/r/baseline-fixture.R}.
 */
package io.moezoo.recipes.timeseries.baseline;
