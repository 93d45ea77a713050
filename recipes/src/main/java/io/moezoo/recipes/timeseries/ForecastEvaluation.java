package io.moezoo.recipes.timeseries;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import ai.djl.translate.TranslateException;
import io.moezoo.recipes.timeseries.baseline.AutoArima;
import io.moezoo.recipes.timeseries.baseline.BaselineForecasts;
import io.moezoo.recipes.timeseries.baseline.InvalidHistoryException;
import io.moezoo.recipes.timeseries.mixture.SourceSeries;
import io.moezoo.translators.timeseries.ForecastHeads;
import io.moezoo.translators.timeseries.PointForecast;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Re-measures a forecaster on held-out tails: for each series the last H values are forecast from
 * everything before them (the model sees the last {@code context_length} of those), and the model
 * and the classical baselines of {@link BaselineForecasts} (naive, seasonal naive, ETS, Theta) and
 * automatic ARIMA ({@link AutoArima}) are scored with {@link ForecastMetrics}.
 *
 * <p>The season m of each series is decided from its history (the test of {@link
 * io.moezoo.recipes.timeseries.baseline.Seasonality#periodOfDifferences} at the natural period of
 * the frequency); it is the season of the seasonal-naive forecast, of ETS, Theta and ARIMA, and of
 * the MASE scale (m = 1, the one-step naive error, for a series judged non-seasonal).
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
        return evaluate(model, series, contextLength, 0);
    }

    /**
     * Forecasts the window that ends {@code skipTails} horizons before each series' end (0: the
     * test tail; 1: the validation window just before it) and scores it beside the baselines.
     *
     * @param model the loaded forecaster
     * @param series the series
     * @param contextLength the context length of the translator
     * @param skipTails how many horizons at the end are left out
     * @return the evaluation
     * @throws IOException if a series cannot be read
     * @throws TranslateException if forecasting fails
     */
    public static ForecastEvaluation evaluate(
            ZooModel<?, ?> model, List<VegaSeries> series, int contextLength, int skipTails)
            throws IOException, TranslateException {
        List<Window> windows = new ArrayList<>();
        for (VegaSeries s : series) {
            float[] all = s.load();
            windows.add(
                    new Window(
                            s.name(),
                            s.freq(),
                            s.horizon(),
                            s.candidatePeriod(),
                            Arrays.copyOf(all, all.length - skipTails * s.horizon())));
        }
        return evaluate(model, windows, contextLength, false);
    }

    /**
     * Scores a model forecast of a series' tail beside the baselines.
     *
     * @param s the series
     * @param values all its values
     * @param forecast the model's forecast of the last H values
     * @return the scores
     */
    static SeriesScore score(VegaSeries s, float[] values, float[] forecast) {
        return score(
                new Window(s.name(), s.freq(), s.horizon(), s.candidatePeriod(), values), forecast);
    }

    /**
     * Forecasts and scores one window of each R (or other source) series: the H values that end
     * {@code skipTails} horizons before the series' end, from the values before them. Windows that
     * no baseline can score (a constant history, a zero MASE scale) are left out.
     *
     * @param model the loaded forecaster
     * @param series the series
     * @param contextLength the context length of the translator
     * @param skipTails how many horizons at the end are left out
     * @return the evaluation
     * @throws TranslateException if forecasting fails
     */
    public static ForecastEvaluation evaluateSources(
            ZooModel<?, ?> model, List<SourceSeries> series, int contextLength, int skipTails)
            throws TranslateException {
        List<Window> windows = new ArrayList<>();
        for (SourceSeries s : series) {
            float[] v = floats(s.values(), s.values().length - skipTails * s.horizon());
            windows.add(new Window(s.name(), s.freq(), s.horizon(), s.candidatePeriod(), v));
        }
        return evaluate(model, windows, contextLength, true);
    }

    /**
     * A series cut where its scored window ends.
     *
     * @param name the series
     * @param freq its frequency string
     * @param horizon H: the last H values are forecast
     * @param candidatePeriod its natural period
     * @param values the history and then the H values to forecast
     */
    private record Window(
            String name, String freq, int horizon, int candidatePeriod, float[] values) {}

    /** Forecasts every window, then scores it beside the baselines (in parallel). */
    private static ForecastEvaluation evaluate(
            ZooModel<?, ?> model, List<Window> windows, int contextLength, boolean dropUnscorable)
            throws TranslateException {
        List<float[]> forecasts = new ArrayList<>();
        for (Window w : windows) {
            float[] history = Arrays.copyOfRange(w.values(), 0, w.values().length - w.horizon());
            forecasts.add(forecast(model, history, w.horizon(), contextLength, w.freq()));
        }
        // the baselines are independent per series and deterministic: fit them in parallel
        SeriesScore[] scores = new SeriesScore[windows.size()];
        IntStream.range(0, windows.size())
                .parallel()
                .forEach(
                        i -> {
                            try {
                                scores[i] = score(windows.get(i), forecasts.get(i));
                            } catch (InvalidHistoryException e) {
                                if (!dropUnscorable) {
                                    throw e;
                                }
                            }
                        });
        List<SeriesScore> kept = new ArrayList<>();
        for (SeriesScore score : scores) {
            if (score != null
                    && (!dropUnscorable
                            || (Double.isFinite(score.maseNaive()) && score.maseNaive() > 0))) {
                kept.add(score);
            }
        }
        return new ForecastEvaluation(kept);
    }

    private static SeriesScore score(Window w, float[] forecast) {
        String name = w.name();
        String freq = w.freq();
        int horizon = w.horizon();
        int candidatePeriod = w.candidatePeriod();
        float[] values = w.values();
        int n = values.length - horizon;
        float[] history = Arrays.copyOfRange(values, 0, n);
        float[] actual = Arrays.copyOfRange(values, n, values.length);
        double[] h = new double[n];
        for (int t = 0; t < n; t++) {
            h[t] = history[t];
        }
        BaselineForecasts b = BaselineForecasts.of(h, horizon, candidatePeriod);
        int m = b.period();
        float[][] all = {
            forecast,
            floats(b.naive()),
            floats(b.seasonalNaive()),
            floats(b.ets()),
            floats(b.theta()),
            floats(AutoArima.forecast(h, horizon, m))
        };
        double[] mase = new double[all.length];
        double[] smape = new double[all.length];
        for (int i = 0; i < all.length; i++) {
            mase[i] = ForecastMetrics.mase(actual, all[i], history, m);
            smape[i] = ForecastMetrics.smape(actual, all[i]);
        }
        return new SeriesScore(
                name,
                freq,
                candidatePeriod,
                m,
                horizon,
                b.etsModel(),
                mase[0],
                mase[1],
                mase[2],
                mase[3],
                mase[4],
                mase[5],
                smape[0],
                smape[1],
                smape[2],
                smape[3],
                smape[4],
                smape[5]);
    }

    /**
     * The values as floats.
     *
     * @param x the values
     * @return the floats
     */
    public static float[] floats(double[] x) {
        return floats(x, x.length);
    }

    /**
     * The first {@code length} values as floats.
     *
     * @param x the values
     * @param length how many to keep (at most {@code x.length})
     * @return the floats
     */
    static float[] floats(double[] x, int length) {
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    /**
     * Forecasts one history with a {@link TimeMoeForecastTranslator} that uses the head rule of the
     * model's own translator (Time-MoE's if it has none).
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
        ForecastHeads.Selection heads =
                model.getTranslator() instanceof TimeMoeForecastTranslator t
                        ? t.getHeadSelection()
                        : ForecastHeads.Selection.TIME_MOE;
        TimeMoeForecastTranslator translator =
                new TimeMoeForecastTranslator(
                        horizon, contextLength, 8, freq, contextLength, heads);
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
     * Geometric mean over series of a MASE.
     *
     * @param mase which MASE, e.g. {@code SeriesScore::maseEts}
     * @return the geometric mean
     */
    public double geoMeanMase(ToDoubleFunction<SeriesScore> mase) {
        return ForecastMetrics.geometricMean(scores.stream().mapToDouble(mase).toArray());
    }

    /**
     * Arithmetic mean over series of an sMAPE.
     *
     * @param smape which sMAPE, e.g. {@code SeriesScore::smapeEts}
     * @return the mean sMAPE (percent)
     */
    public double meanSmape(ToDoubleFunction<SeriesScore> smape) {
        return scores.stream().mapToDouble(smape).average().orElseThrow();
    }

    /**
     * Geometric mean over series of the model's MASE.
     *
     * @return the geometric mean
     */
    public double geoMeanMaseModel() {
        return geoMeanMase(SeriesScore::maseModel);
    }

    /**
     * Geometric mean over series of the naive MASE.
     *
     * @return the geometric mean
     */
    public double geoMeanMaseNaive() {
        return geoMeanMase(SeriesScore::maseNaive);
    }

    /**
     * Geometric mean over series of the seasonal-naive MASE.
     *
     * @return the geometric mean
     */
    public double geoMeanMaseSeasonalNaive() {
        return geoMeanMase(SeriesScore::maseSeasonalNaive);
    }

    /**
     * Geometric mean over series of the ETS MASE.
     *
     * @return the geometric mean
     */
    public double geoMeanMaseEts() {
        return geoMeanMase(SeriesScore::maseEts);
    }

    /**
     * Geometric mean over series of the Theta MASE.
     *
     * @return the geometric mean
     */
    public double geoMeanMaseTheta() {
        return geoMeanMase(SeriesScore::maseTheta);
    }

    /**
     * Arithmetic mean over series of the model's sMAPE.
     *
     * @return the mean sMAPE (percent)
     */
    public double meanSmapeModel() {
        return meanSmape(SeriesScore::smapeModel);
    }
}
