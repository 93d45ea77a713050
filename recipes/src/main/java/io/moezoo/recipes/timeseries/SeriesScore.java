package io.moezoo.recipes.timeseries;

/**
 * The scores of one series' held-out tail.
 *
 * @param name the series name
 * @param freq the frequency string
 * @param season m
 * @param horizon H
 * @param maseModel MASE of the model's forecast
 * @param maseNaive MASE of the naive forecast
 * @param maseSeasonalNaive MASE of the seasonal-naive forecast
 * @param smapeModel sMAPE (percent) of the model's forecast
 * @param smapeNaive sMAPE of the naive forecast
 * @param smapeSeasonalNaive sMAPE of the seasonal-naive forecast
 */
public record SeriesScore(
        String name,
        String freq,
        int season,
        int horizon,
        double maseModel,
        double maseNaive,
        double maseSeasonalNaive,
        double smapeModel,
        double smapeNaive,
        double smapeSeasonalNaive) {}
