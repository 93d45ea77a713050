package io.moezoo.recipes.timeseries;

/**
 * The scores of one series' held-out tail.
 *
 * @param name the series name
 * @param freq the frequency string
 * @param candidatePeriod the natural period of the frequency
 * @param season the decided season m (the candidate if the data are seasonal, else 1): of the
 *     seasonal-naive forecast, of the MASE scale and of ETS, Theta and ARIMA
 * @param horizon H
 * @param etsModel the AICc-selected ETS model
 * @param maseModel MASE of the model's forecast
 * @param maseNaive MASE of the naive forecast
 * @param maseSeasonalNaive MASE of the seasonal-naive forecast
 * @param maseEts MASE of the ETS forecast
 * @param maseTheta MASE of the Theta forecast
 * @param maseArima MASE of the automatic ARIMA forecast
 * @param smapeModel sMAPE (percent) of the model's forecast
 * @param smapeNaive sMAPE of the naive forecast
 * @param smapeSeasonalNaive sMAPE of the seasonal-naive forecast
 * @param smapeEts sMAPE of the ETS forecast
 * @param smapeTheta sMAPE of the Theta forecast
 * @param smapeArima sMAPE of the automatic ARIMA forecast
 */
public record SeriesScore(
        String name,
        String freq,
        int candidatePeriod,
        int season,
        int horizon,
        String etsModel,
        double maseModel,
        double maseNaive,
        double maseSeasonalNaive,
        double maseEts,
        double maseTheta,
        double maseArima,
        double smapeModel,
        double smapeNaive,
        double smapeSeasonalNaive,
        double smapeEts,
        double smapeTheta,
        double smapeArima) {}
