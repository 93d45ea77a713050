package io.moezoo.recipes.timeseries.mixture;

import ai.djl.translate.TranslateException;
import io.moezoo.recipes.timeseries.baseline.AutoArima;
import io.moezoo.recipes.timeseries.baseline.BaselineForecasts;
import io.moezoo.recipes.timeseries.baseline.CombShd;
import io.moezoo.recipes.timeseries.baseline.InvalidHistoryException;
import java.util.List;

/**
 * The experts of the mixture and how a {@link ForecastTask} becomes a {@link ForecastWindow}: the
 * classical baselines of {@link BaselineForecasts} (naive, seasonal naive, ETS, Theta; the season m
 * decided from the history as on the card), the M3 combination benchmark {@link CombShd} (with the
 * same m), automatic seasonal ARIMA ({@link AutoArima}, the same m) and the network's forecast.
 */
public final class ExpertPanel {

    /** The experts, in the order of {@link ForecastWindow#forecasts}. */
    public static final List<String> EXPERTS =
            List.of("naive", "seasonal_naive", "ets", "theta", "comb_shd", "arima", "network");

    /**
     * How many inner-holdout origins the holdout features average over: the last H values only.
     * Averaging over the last three horizons scored worse on validation (run 10 of {@code
     * tools/ts-mixture.md}: 0.780 against 0.770), so the recipe keeps one.
     */
    public static final int HOLDOUT_ORIGINS = 1;

    /** The classical experts come first; the network is the last expert. */
    public static final int CLASSICAL = 6;

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
     * The names of a window's features: {@link SeriesFeatures#NAMES}, then {@code
     * holdout_available} and {@code holdout_<expert>} for each classical expert (see {@link
     * #window}).
     */
    public static final List<String> FEATURES = featureNames();

    private static List<String> featureNames() {
        List<String> names = new java.util.ArrayList<>(SeriesFeatures.NAMES);
        names.add("holdout_available");
        for (String e : EXPERTS.subList(0, CLASSICAL)) {
            names.add("holdout_" + e);
        }
        return List.copyOf(names);
    }

    /**
     * Forecasts a task with every expert and computes its features and MASE scale.
     *
     * <p>The features are the {@link SeriesFeatures} of the history followed by the classical
     * experts' recent record: each forecasts the history's own last H values from the values before
     * them (the inner holdout), and with more than one of {@link #HOLDOUT_ORIGINS} the H values
     * before those; the mean over these origins of \(\ln \max(0.01, \mathrm{MASE})\) of each
     * (scaled with the whole history's m and scale) is a feature, with {@code holdout_available} =
     * 1. An origin whose inner history is shorter than 12 values plus two seasons ends the list
     * (and those before it count); one that an expert cannot forecast is skipped; with no origin
     * left these features are 0. The network has no holdout feature: on the series it was trained
     * on (the card's held-out tails) its inner-holdout error is an in-sample error.
     *
     * @param task the task
     * @param network the network expert
     * @return the window, or null when the MASE scale is 0 (the history's lag-m differences are all
     *     0) or an expert cannot forecast the history (e.g. Theta's multiplicative decomposition of
     *     a series whose moving average is 0)
     * @throws TranslateException if the network fails
     */
    public static ForecastWindow window(ForecastTask task, NetworkForecaster network)
            throws TranslateException {
        return window(task, network, HOLDOUT_ORIGINS);
    }

    /**
     * {@link #window(ForecastTask, NetworkForecaster)} with the holdout features averaged over up
     * to {@code holdoutOrigins} origins (the last H values, the H before them, and so on).
     *
     * @param task the task
     * @param network the network expert
     * @param holdoutOrigins at least 1
     * @return the window, or null as above
     * @throws TranslateException if the network fails
     */
    static ForecastWindow window(ForecastTask task, NetworkForecaster network, int holdoutOrigins)
            throws TranslateException {
        double[] history = task.history();
        int horizon = task.horizon();
        double[][] forecasts = forecasts(history, horizon, task, network);
        if (forecasts == null) {
            return null;
        }
        int m = (int) forecasts[EXPERTS.size()][0];
        double scale = scale(history, m);
        if (!(scale > 0)) {
            return null;
        }
        double[] features =
                java.util.Arrays.copyOf(SeriesFeatures.of(history, m, horizon), FEATURES.size());
        int at = SeriesFeatures.NAMES.size();
        int origins = 0;
        for (int o = 1; o <= holdoutOrigins; o++) {
            int inner = history.length - o * horizon;
            if (inner < 12 + 2 * m) {
                break;
            }
            double[] innerHistory = java.util.Arrays.copyOf(history, inner);
            double[] innerActual = java.util.Arrays.copyOfRange(history, inner, inner + horizon);
            double[][] past = forecasts(innerHistory, horizon, task, null);
            if (past == null) {
                continue;
            }
            ForecastWindow record =
                    new ForecastWindow(
                            "",
                            m,
                            new double[0],
                            java.util.Arrays.copyOf(past, CLASSICAL),
                            innerActual,
                            scale);
            for (int k = 0; k < CLASSICAL; k++) {
                features[at + 1 + k] += Math.log(Math.max(0.01, record.mase(k)));
            }
            origins++;
        }
        if (origins > 0) {
            features[at] = 1;
            for (int k = 0; k < CLASSICAL; k++) {
                features[at + 1 + k] /= origins;
            }
        }
        return new ForecastWindow(
                task.name(),
                m,
                features,
                java.util.Arrays.copyOf(forecasts, EXPERTS.size()),
                task.actual(),
                scale);
    }

    /**
     * Every expert's forecast of a history, followed by a row holding the decided season m.
     *
     * @param network the network, or null for the classical experts only (its row is then empty)
     * @return {@code [K + 1][]}, or null when an expert cannot forecast the history
     */
    private static double[][] forecasts(
            double[] history, int horizon, ForecastTask task, NetworkForecaster network)
            throws TranslateException {
        BaselineForecasts b;
        double[] comb;
        double[] arima;
        try {
            b = BaselineForecasts.of(history, horizon, task.candidatePeriod());
            comb = CombShd.forecast(history, horizon, b.period(), b.period() > 1);
            arima = AutoArima.forecast(history, horizon, b.period());
        } catch (InvalidHistoryException e) {
            return null;
        }
        if (!finite(b.ets()) || !finite(b.theta()) || !finite(comb) || !finite(arima)) {
            return null;
        }
        double[] net =
                network == null ? new double[0] : network.forecast(history, horizon, task.freq());
        if (!finite(net)) {
            return null;
        }
        return new double[][] {
            b.naive(), b.seasonalNaive(), b.ets(), b.theta(), comb, arima, net, {b.period()}
        };
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
