package io.moezoo.recipes.timeseries.mixture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A whole series from which forecast windows are cut.
 *
 * @param name a unique name, e.g. {@code datasets/AirPassengers}
 * @param source where it comes from: {@code r}, {@code synthetic} or {@code vega}
 * @param values the values, in time order
 * @param candidatePeriod the natural period of its frequency (the season is decided from the data)
 * @param horizon H
 * @param freq the frequency string handed to the network's translator
 */
public record SourceSeries(
        String name,
        String source,
        double[] values,
        int candidatePeriod,
        int horizon,
        String freq) {

    /**
     * Validates the series.
     *
     * @param name the name
     * @param source the source
     * @param values the values
     * @param candidatePeriod the candidate period
     * @param horizon H
     * @param freq the frequency string
     */
    public SourceSeries {
        if (name == null || source == null || values == null || freq == null) {
            throw new IllegalArgumentException("A source series needs a name, source and values");
        }
        if (candidatePeriod < 1 || horizon < 1) {
            throw new IllegalArgumentException(
                    name + ": the candidate period and horizon must be >= 1");
        }
    }

    /**
     * Cuts forecast windows (named {@code source:name@origin}): the k-th (k = 0, 1, …) forecasts
     * the H values that end {@code skipLast + k·H} values before the end, from at most {@code
     * maxHistory} values before them. Windows whose history is shorter than {@link #minHistory} are
     * left out.
     *
     * @param skipLast values at the end never used (e.g. a test tail)
     * @param count the most windows
     * @param maxHistory the longest history handed to the experts
     * @return the windows, latest first
     */
    public List<ForecastTask> windows(int skipLast, int count, int maxHistory) {
        List<ForecastTask> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int end = values.length - skipLast - k * horizon;
            int origin = end - horizon;
            if (origin < minHistory()) {
                break;
            }
            int from = Math.max(0, origin - maxHistory);
            out.add(
                    new ForecastTask(
                            source + ":" + name + "@" + origin,
                            Arrays.copyOfRange(values, from, origin),
                            Arrays.copyOfRange(values, origin, end),
                            candidatePeriod,
                            freq));
        }
        return out;
    }

    /**
     * The shortest history a window may have: 30 values, and three seasons plus two.
     *
     * @return the length
     */
    public int minHistory() {
        return Math.max(30, 3 * candidatePeriod + 2);
    }
}
