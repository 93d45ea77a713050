/**
 * The zoo's time-series family: a Time-MoE-style decoder-only MoE forecaster ({@link
 * io.moezoo.zoo.timeseries.TimeMoeForecaster}, described by {@link
 * io.moezoo.zoo.timeseries.TimeMoeSpec}), its training on real series of the npm package
 * vega-datasets ({@link io.moezoo.zoo.timeseries.TimeMoeTraining}, {@link
 * io.moezoo.zoo.timeseries.VegaCatalog}) and its evaluation with MASE and sMAPE against naive
 * baselines ({@link io.moezoo.zoo.timeseries.ForecastEvaluation}).
 */
package io.moezoo.zoo.timeseries;
