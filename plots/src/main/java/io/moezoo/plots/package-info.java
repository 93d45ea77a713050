/**
 * PNG charts for MoE models, built with XChart from plain Java arrays so that any module or
 * notebook can use them: {@link io.moezoo.plots.ExpertLoadChart}, {@link
 * io.moezoo.plots.RoutingHeatmap}, {@link io.moezoo.plots.TrainingCurves}, {@link
 * io.moezoo.plots.ForecastChart} and {@link io.moezoo.plots.ConfusionMatrixChart}.
 *
 * <p>Each chart validates its inputs when built (ragged arrays, label counts that do not match, NaN
 * or infinite values raise {@link java.lang.IllegalArgumentException} naming the input), exposes
 * the XChart chart for further styling, and renders without a display ({@link
 * io.moezoo.plots.PngChart#toImage()}, {@link
 * io.moezoo.plots.PngChart#writePng(java.nio.file.Path)}).
 */
package io.moezoo.plots;
