package io.moezoo.recipes.timeseries.mixture;

import ai.djl.translate.TranslateException;
import io.moezoo.recipes.timeseries.baseline.BaselineForecasts;
import io.moezoo.recipes.timeseries.baseline.InvalidHistoryException;
import java.util.List;

/**
 * The experts of the mixture and how a {@link ForecastTask} becomes a {@link ForecastWindow}: the
 * classical baselines of {@link BaselineForecasts} (naive, seasonal naive, ETS, Theta; the season m
 * decided from the history as on the card) and the network's forecast.
 */
public final class ExpertPanel {

    /** The experts, in the order of {@link ForecastWindow#forecasts}. */
    public static final List<String> EXPERTS =
            List.of("naive", "seasonal_naive", "ets", "theta", "network");

    /** Forecasts a history with the network (e.g. the shipped time-moe-vega artifact). */
    @FunctionalInterface
    public interface NetworkForecaster {
        /**
         * Forecasts.
         *
         * @param history the history
         * @param horizon H
         * @param freq the frequency string
         * @return the point forecast {@code [H]}
         * @throws TranslateException if forecasting fails
         */
        double[] forecast(double[] history, int horizon, String freq) throws TranslateException;
    }

    private ExpertPanel() {}

    /**
     * Forecasts a task with every expert and computes its features and MASE scale.
     *
     * @param task the task
     * @param network the network expert
     * @return the window, or null when the MASE scale is 0 (the history's lag-m differences are all
     *     0)
     * @throws TranslateException if the network fails
     */
    public static ForecastWindow window(ForecastTask task, NetworkForecaster network)
            throws TranslateException {
        double[] history = task.history();
        int horizon = task.horizon();
        BaselineForecasts b;
        try {
            b = BaselineForecasts.of(history, horizon, task.candidatePeriod());
        } catch (InvalidHistoryException e) {
            return null;
        }
        if (!finite(b.ets()) || !finite(b.theta())) {
            return null;
        }
        int m = b.period();
        double scale = scale(history, m);
        if (!(scale > 0)) {
            return null;
        }
        double[] net = network.forecast(history, horizon, task.freq());
        if (!finite(net)) {
            return null;
        }
        double[][] forecasts = {b.naive(), b.seasonalNaive(), b.ets(), b.theta(), net};
        return new ForecastWindow(
                task.name(),
                m,
                SeriesFeatures.of(history, m, horizon),
                forecasts,
                task.actual(),
                scale);
    }

    private static boolean finite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The MASE scale: the mean absolute lag-m difference of the history, as {@link
     * io.moezoo.recipes.timeseries.ForecastMetrics#scale} computes it on the float history.
     *
     * @param history the history (longer than m)
     * @param m the season
     * @return the scale (0 when the differences are all 0)
     */
    static double scale(double[] history, int m) {
        double sum = 0;
        for (int t = m; t < history.length; t++) {
            sum += Math.abs((double) (float) history[t] - (float) history[t - m]);
        }
        return sum / (history.length - m);
    }
}
