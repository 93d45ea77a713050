package io.moezoo.recipes.timeseries.mixture;

/**
 * One forecast to make and score: a history and the H values that follow it.
 *
 * @param name a unique name
 * @param history the values before the forecast
 * @param actual the H values to forecast
 * @param candidatePeriod the natural period of the frequency
 * @param freq the frequency string
 */
public record ForecastTask(
        String name, double[] history, double[] actual, int candidatePeriod, String freq) {

    /**
     * The horizon H.
     *
     * @return the number of values to forecast
     */
    public int horizon() {
        return actual.length;
    }
}
