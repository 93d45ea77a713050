package io.moezoo.recipes.timeseries.mixture;

import ai.djl.translate.TranslateException;
import com.google.gson.Gson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Forecasts a history with a trained router: the experts of {@link ExpertPanel} forecast it, the
 * router weighs them by the history's features, and the forecast is the weighted combination.
 *
 * @param router the trained router
 * @param experts the indices into {@link ExpertPanel#EXPERTS} of the router's experts
 * @param network the network expert
 */
public record MixtureForecaster(
        SoftmaxRouter router, int[] experts, ExpertPanel.NetworkForecaster network) {

    /**
     * One forecast with the weights that made it.
     *
     * @param forecast the combined point forecast {@code [H]}
     * @param weights the router's weights over its experts
     * @param season the season m decided from the history
     */
    public record Result(double[] forecast, double[] weights, int season) {}

    /**
     * Checks that the router has one weight per expert.
     *
     * @param router the router
     * @param experts the experts
     * @param network the network
     */
    public MixtureForecaster {
        if (router.experts().size() != experts.length) {
            throw new IllegalArgumentException("The router needs one weight per expert");
        }
    }

    /**
     * Forecasts.
     *
     * @param history the history (at least 12 finite values)
     * @param horizon H
     * @param candidatePeriod the natural period of the frequency (12 monthly, 7 daily, ...)
     * @param freq the frequency string handed to the network
     * @return the forecast
     * @throws TranslateException if the network fails
     * @throws IllegalArgumentException if an expert cannot forecast the history or its lag-m
     *     differences are all 0
     */
    public Result forecast(double[] history, int horizon, int candidatePeriod, String freq)
            throws TranslateException {
        ForecastWindow w =
                ExpertPanel.window(
                        new ForecastTask("", history, new double[horizon], candidatePeriod, freq),
                        network);
        if (w == null) {
            throw new IllegalArgumentException(
                    "An expert cannot forecast this history, or its seasonal differences are 0");
        }
        double[] weights = router.weights(w.features());
        return new Result(w.select(experts).combine(weights), weights, w.season());
    }

    /**
     * Writes a router as JSON.
     *
     * @param router the router
     * @param file the file
     * @throws IOException if it cannot be written
     */
    public static void save(SoftmaxRouter router, Path file) throws IOException {
        Files.writeString(file, new Gson().toJson(router), StandardCharsets.UTF_8);
    }

    /**
     * Reads a router written by {@link #save}.
     *
     * @param file the file
     * @return the router (validated by its constructor)
     * @throws IOException if it cannot be read
     */
    public static SoftmaxRouter load(Path file) throws IOException {
        SoftmaxRouter r =
                new Gson()
                        .fromJson(
                                Files.readString(file, StandardCharsets.UTF_8),
                                SoftmaxRouter.class);
        if (r == null) {
            throw new IOException(file + " holds no router");
        }
        return new SoftmaxRouter(r.experts(), r.features(), r.means(), r.stds(), r.theta());
    }
}
