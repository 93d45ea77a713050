package io.moezoo.recipes.timeseries;

import io.moezoo.recipes.data.DataSets;
import io.moezoo.recipes.timeseries.baseline.Seasonality;
import java.io.IOException;

/**
 * One series of the npm package {@code vega-datasets}, with how it is evaluated.
 *
 * @param name a short unique name, e.g. {@code stocks/AAPL}
 * @param file the file under the package's {@code data/} directory
 * @param field the numeric column / field
 * @param keyField the column / field selecting the entity, or null
 * @param keyValue the entity, e.g. {@code AAPL}
 * @param freq the frequency string: {@code M} monthly, {@code D} daily, {@code H} hourly, {@code Y}
 *     yearly; its natural period ({@link Seasonality#naturalPeriod}) is the candidate season, which
 *     the evaluation keeps only if the data are seasonal ({@link ForecastEvaluation})
 * @param horizon H, the held-out tail that is forecast
 */
public record VegaSeries(
        String name,
        String file,
        String field,
        String keyField,
        String keyValue,
        String freq,
        int horizon) {

    /**
     * Validates the description.
     *
     * @param name the name
     * @param file the file
     * @param field the field
     * @param keyField the key field or null
     * @param keyValue the key value
     * @param freq the frequency
     * @param horizon H
     */
    public VegaSeries {
        if (name == null || file == null || field == null || freq == null || horizon < 1) {
            throw new IllegalArgumentException(
                    "A series needs a name, file, field, frequency and horizon >= 1: " + name);
        }
        Seasonality.naturalPeriod(freq);
    }

    /**
     * The natural period of the frequency, the candidate season.
     *
     * @return m
     */
    public int candidatePeriod() {
        return Seasonality.naturalPeriod(freq);
    }

    /**
     * Reads the values from the installed package ({@link DataSets#vegaDataset}).
     *
     * @return the whole series, in time order
     * @throws IOException if the package or file is missing or does not hold the series
     */
    public float[] load() throws IOException {
        float[] values = SeriesFiles.read(DataSets.vegaDataset(file), field, keyField, keyValue);
        int season = candidatePeriod();
        if (values.length < horizon + season + 2) {
            throw new MalformedSeriesException(
                    name
                            + ": "
                            + values.length
                            + " values are too few for a tail of "
                            + horizon
                            + " and season "
                            + season);
        }
        return values;
    }
}
