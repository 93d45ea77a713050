/**
 * The time-series family's recipe: training on real series of the npm package vega-datasets ({@link
 * io.moezoo.recipes.timeseries.TimeMoeTraining}, {@link io.moezoo.recipes.timeseries.VegaCatalog})
 * and evaluation with MASE and sMAPE against the classical baselines of {@link
 * io.moezoo.recipes.timeseries.baseline} ({@link io.moezoo.recipes.timeseries.ForecastEvaluation});
 * {@link io.moezoo.recipes.timeseries.SeriesFiles} reads series files.
 */
package io.moezoo.recipes.timeseries;
