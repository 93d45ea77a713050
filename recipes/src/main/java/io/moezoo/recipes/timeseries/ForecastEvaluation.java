package io.moezoo.recipes.timeseries;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import ai.djl.translate.TranslateException;
import io.moezoo.translators.timeseries.PointForecast;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Re-measures a forecaster on held-out tails: for each series the last H values are forecast from
 * everything before them (the model sees the last {@code context_length} of those), and the model,
 * the naive and the seasonal-naive forecasts are scored with {@link ForecastMetrics}.
 *
 * @param scores the per-series scores, in catalog order
 */
public record ForecastEvaluation(List<SeriesScore> scores) {

    /**
     * Copies the scores.
     *
     * @param scores the per-series scores
     */
    public ForecastEvaluation {
        if (scores == null || scores.isEmpty()) {
            throw new IllegalArgumentException("An evaluation needs at least one series");
        }
        scores = Collections.unmodifiableList(new ArrayList<>(scores));
    }

    /**
     * Forecasts and scores the held-out tail of every series.
     *
     * @param model the loaded forecaster (any translator; predictors are made per horizon with a
     *     {@link TimeMoeForecastTranslator})
     * @param series the series
     * @param contextLength the context length of the translator
     * @return the evaluation
     * @throws IOException if a series cannot be read
     * @throws TranslateException if forecasting fails
     */
    public static ForecastEvaluation evaluate(
            ZooModel<?, ?> model, List<VegaSeries> series, int contextLength)
            throws IOException, TranslateException {
        List<SeriesScore> scores = new ArrayList<>();
        for (VegaSeries s : series) {
            float[] values = s.load();
            int n = values.length - s.horizon();
            float[] history = Arrays.copyOfRange(values, 0, n);
            float[] actual = Arrays.copyOfRange(values, n, values.length);
            float[] forecast = forecast(model, history, s.horizon(), contextLength, s.freq());
            float[] naive = ForecastMetrics.naive(history, s.horizon());
            float[] seasonal = ForecastMetrics.seasonalNaive(history, s.horizon(), s.season());
            scores.add(
                    new SeriesScore(
                            s.name(),
                            s.freq(),
                            s.season(),
                            s.horizon(),
                            ForecastMetrics.mase(actual, forecast, history, s.season()),
                            ForecastMetrics.mase(actual, naive, history, s.season()),
                            ForecastMetrics.mase(actual, seasonal, history, s.season()),
                            ForecastMetrics.smape(actual, forecast),
                            ForecastMetrics.smape(actual, naive),
                            ForecastMetrics.smape(actual, seasonal)));
        }
        return new ForecastEvaluation(scores);
    }

    /**
     * Forecasts one history with a {@link TimeMoeForecastTranslator}.
     *
     * @param model the loaded forecaster
     * @param history the context
     * @param horizon H
     * @param contextLength the context length
     * @param freq the frequency string
     * @return the point forecast {@code [H]}
     * @throws TranslateException if forecasting fails
     */
    public static float[] forecast(
            ZooModel<?, ?> model, float[] history, int horizon, int contextLength, String freq)
            throws TranslateException {
        TimeMoeForecastTranslator translator =
                new TimeMoeForecastTranslator(horizon, contextLength, 8, freq);
        try (Predictor<TimeSeriesData, Forecast> predictor =
                        model.newPredictor(translator, model.getNDManager().getDevice());
                NDManager manager = model.getNDManager().newSubManager()) {
            TimeSeriesData data = new TimeSeriesData(1);
            data.add(FieldName.TARGET, manager.create(history));
            Forecast f = predictor.predict(data);
            return f instanceof PointForecast p ? p.pointValues() : f.mean().toFloatArray();
        }
    }

    /**
     * Geometric mean over series of the model's MASE.
     *
     * @return the geometric mean
     */
    public double geoMeanMaseModel() {
        return ForecastMetrics.geometricMean(
                scores.stream().mapToDouble(SeriesScore::maseModel).toArray());
    }

    /**
     * Geometric mean over series of the naive MASE.
     *
     * @return the geometric mean
     */
    public double geoMeanMaseNaive() {
        return ForecastMetrics.geometricMean(
                scores.stream().mapToDouble(SeriesScore::maseNaive).toArray());
    }

    /**
     * Geometric mean over series of the seasonal-naive MASE.
     *
     * @return the geometric mean
     */
    public double geoMeanMaseSeasonalNaive() {
        return ForecastMetrics.geometricMean(
                scores.stream().mapToDouble(SeriesScore::maseSeasonalNaive).toArray());
    }

    /**
     * Arithmetic mean over series of the model's sMAPE.
     *
     * @return the mean sMAPE (percent)
     */
    public double meanSmapeModel() {
        return scores.stream().mapToDouble(SeriesScore::smapeModel).average().orElseThrow();
    }

    /**
     * Arithmetic mean over series of the naive sMAPE.
     *
     * @return the mean sMAPE (percent)
     */
    public double meanSmapeNaive() {
        return scores.stream().mapToDouble(SeriesScore::smapeNaive).average().orElseThrow();
    }

    /**
     * Arithmetic mean over series of the seasonal-naive sMAPE.
     *
     * @return the mean sMAPE (percent)
     */
    public double meanSmapeSeasonalNaive() {
        return scores.stream().mapToDouble(SeriesScore::smapeSeasonalNaive).average().orElseThrow();
    }
}
