/**
 * The time-series family: a Time-MoE-style decoder-only MoE forecaster ({@link
 * io.moezoo.models.timeseries.TimeMoeForecaster}, described by {@link
 * io.moezoo.models.timeseries.TimeMoeSpec}) with its multi-horizon Huber training loss ({@link
 * io.moezoo.models.timeseries.TimeMoeLoss}).
 */
package io.moezoo.models.timeseries;
