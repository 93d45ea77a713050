package io.moezoo.recipes.timeseries.mixture;

import ai.djl.translate.TranslateException;
import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Turns forecast tasks into {@link ForecastWindow}s: the network forecasts every task in order (one
 * thread), then the classical experts and features are computed in parallel (they are deterministic
 * and independent). Windows whose MASE scale is 0 are dropped. The windows can be saved and read
 * back as JSON, so that router recipes can be re-run without re-forecasting.
 */
public final class WindowBuilder {

    private WindowBuilder() {}

    /**
     * Builds the windows of the tasks.
     *
     * @param tasks the tasks
     * @param network the network expert
     * @return the windows, in task order (without the dropped ones)
     * @throws TranslateException if the network fails
     */
    public static List<ForecastWindow> build(
            List<ForecastTask> tasks, ExpertPanel.NetworkForecaster network)
            throws TranslateException {
        double[][] networkForecasts = new double[tasks.size()][];
        for (int i = 0; i < tasks.size(); i++) {
            ForecastTask t = tasks.get(i);
            networkForecasts[i] = network.forecast(t.history(), t.horizon(), t.freq());
        }
        ForecastWindow[] out = new ForecastWindow[tasks.size()];
        IntStream.range(0, tasks.size())
                .parallel()
                .forEach(
                        i -> {
                            try {
                                out[i] =
                                        ExpertPanel.window(
                                                tasks.get(i),
                                                (h, horizon, f) -> networkForecasts[i]);
                            } catch (TranslateException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        return new ArrayList<>(Arrays.stream(out).filter(Objects::nonNull).toList());
    }

    /**
     * Saves windows as JSON.
     *
     * @param windows the windows
     * @param file the file
     * @throws IOException if it cannot be written
     */
    public static void save(List<ForecastWindow> windows, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            new Gson().toJson(windows, w);
        }
    }

    /**
     * Reads windows saved by {@link #save}.
     *
     * @param file the file
     * @return the windows
     * @throws IOException if it cannot be read
     */
    public static List<ForecastWindow> load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<ForecastWindow> list =
                    new Gson().fromJson(r, new TypeToken<List<ForecastWindow>>() {}.getType());
            if (list == null) {
                throw new IOException(file + " holds no windows");
            }
            return list;
        }
    }
}
