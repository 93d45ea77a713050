/**
 * Point forecasting with Time-MoE-style decoder-only forecasters: a {@code TimeSeriesData ->
 * Forecast} translator that normalises the context per series, rolls the model out with Time-MoE's
 * multi-resolution head rule ({@link io.moezoo.translators.timeseries.ForecastHeads}) and returns a
 * {@link io.moezoo.translators.timeseries.PointForecast}.
 *
 * <p>Block protocol: input {@code [B, S]} float32 normalised values; output one array {@code [B, S,
 * h]} per forecast head, named {@code horizon_<h>}, where position t of head h predicts the h
 * values after t.
 */
package io.moezoo.translators.timeseries;
