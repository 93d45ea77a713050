package io.moezoo.recipes.timeseries.mixture;

import ai.djl.translate.TranslateException;
import io.moezoo.recipes.timeseries.ForecastMetrics;
import io.moezoo.recipes.timeseries.VegaSeries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Measures the mixture on held-out tails exactly as the {@code time-moe-vega} card measures its
 * model: for each series the last H values are forecast from everything before them, the season m
 * is decided from that history ({@link io.moezoo.recipes.timeseries.baseline.BaselineForecasts}),
 * and MASE (scale with season m) and sMAPE come from {@link ForecastMetrics} on float values.
 */
public final class MixtureEvaluation {

    private MixtureEvaluation() {}

    /**
     * Forecasts and scores every series' tail with every expert and the mixture.
     *
     * @param series the series (e.g. {@code VegaCatalog.training()} or {@code zeroShot()})
     * @param router the router
     * @param experts the indices into {@link ExpertPanel#EXPERTS} of the router's experts
     * @param network the network expert
     * @return the scores, in series order
     * @throws IOException if a series cannot be read
     * @throws TranslateException if the network fails
     */
    public static List<MixtureScore> evaluate(
            List<VegaSeries> series,
            SoftmaxRouter router,
            int[] experts,
            ExpertPanel.NetworkForecaster network)
            throws IOException, TranslateException {
        List<MixtureScore> out = new ArrayList<>();
        for (VegaSeries s : series) {
            float[] v = s.load();
            int n = v.length - s.horizon();
            double[] history = new double[n];
            double[] actual = new double[s.horizon()];
            for (int t = 0; t < v.length; t++) {
                if (t < n) {
                    history[t] = v[t];
                } else {
                    actual[t - n] = v[t];
                }
            }
            ForecastWindow w =
                    ExpertPanel.window(
                            new ForecastTask(
                                    s.name(), history, actual, s.candidatePeriod(), s.freq()),
                            network);
            if (w == null) {
                throw new IOException(
                        s.name() + ": an expert cannot forecast it, or its MASE scale is 0");
            }
            ForecastWindow routed = w.select(experts);
            double[] weights = router.weights(w.features());
            double[][] all = Arrays.copyOf(w.forecasts(), w.experts() + 1);
            all[w.experts()] = routed.combine(weights);
            float[] hist = Arrays.copyOfRange(v, 0, n);
            float[] act = Arrays.copyOfRange(v, n, v.length);
            double[] mase = new double[all.length];
            double[] smape = new double[all.length];
            for (int k = 0; k < all.length; k++) {
                float[] f = new float[all[k].length];
                for (int h = 0; h < f.length; h++) {
                    f[h] = (float) all[k][h];
                }
                mase[k] = ForecastMetrics.mase(act, f, hist, w.season());
                smape[k] = ForecastMetrics.smape(act, f);
            }
            out.add(new MixtureScore(s.name(), w.season(), s.horizon(), weights, mase, smape));
        }
        return out;
    }

    /**
     * The geometric mean of a MASE column.
     *
     * @param scores the scores
     * @param column the expert index, or {@code ExpertPanel.EXPERTS.size()} for the mixture
     * @return the geometric mean
     */
    public static double geoMeanMase(List<MixtureScore> scores, int column) {
        return ForecastMetrics.geometricMean(column(scores, s -> s.mase()[column]));
    }

    /**
     * The arithmetic mean of an sMAPE column.
     *
     * @param scores the scores
     * @param column the expert index, or {@code ExpertPanel.EXPERTS.size()} for the mixture
     * @return the mean sMAPE (percent)
     */
    public static double meanSmape(List<MixtureScore> scores, int column) {
        return Arrays.stream(column(scores, s -> s.smape()[column])).average().orElseThrow();
    }

    private static double[] column(List<MixtureScore> scores, ToDoubleFunction<MixtureScore> f) {
        return scores.stream().mapToDouble(f).toArray();
    }
}
