/**
 * Classical forecasting baselines of the time-series family, deterministic and in plain Java: the
 * data-driven seasonality test ({@link io.moezoo.recipes.timeseries.baseline.Seasonality}), naive
 * and seasonal naive, additive-error exponential smoothing with AICc selection ({@link
 * io.moezoo.recipes.timeseries.baseline.Ets}), the Theta method ({@link
 * io.moezoo.recipes.timeseries.baseline.Theta}), the M3 combination Comb S-H-D ({@link
 * io.moezoo.recipes.timeseries.baseline.CombShd}) and automatic seasonal ARIMA ({@link
 * io.moezoo.recipes.timeseries.baseline.AutoArima}, KPSS differencing and the Hyndman–Khandakar
 * stepwise search); {@link io.moezoo.recipes.timeseries.baseline.BaselineForecasts} runs the card's
 * four (naive, seasonal naive, ETS, Theta) on one history. They are cross-checked against R's
 * {@code forecast} package by the fixtures that the scripts in {@code recipes/src/test/r} write.
 */
package io.moezoo.recipes.timeseries.baseline;
