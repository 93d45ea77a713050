package io.moezoo.recipes.timeseries;

import io.moezoo.recipes.data.DataSets;
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
 *     yearly
 * @param season m of the seasonal-naive forecast and of the MASE scale (1 = non-seasonal)
 * @param horizon H, the held-out tail that is forecast
 */
public record VegaSeries(
        String name,
        String file,
        String field,
        String keyField,
        String keyValue,
        String freq,
        int season,
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
     * @param season m
     * @param horizon H
     */
    public VegaSeries {
        if (name == null || file == null || field == null || season < 1 || horizon < 1) {
            throw new IllegalArgumentException(
                    "A series needs a name, file, field, season >= 1 and horizon >= 1: " + name);
        }
    }

    /**
     * Reads the values from the installed package ({@link DataSets#vegaDataset}).
     *
     * @return the whole series, in time order
     * @throws IOException if the package or file is missing or does not hold the series
     */
    public float[] load() throws IOException {
        float[] values = SeriesFiles.read(DataSets.vegaDataset(file), field, keyField, keyValue);
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
