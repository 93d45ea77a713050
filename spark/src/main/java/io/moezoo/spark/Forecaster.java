package io.moezoo.spark;

import ai.djl.ndarray.NDManager;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import io.moezoo.translators.timeseries.PointForecast;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Forecasts univariate series with a zoo time-series model (e.g. {@code time-moe-vega}).
 *
 * <p>Input: a column {@code values} (array of float or double), the history in time order; any
 * other columns are kept. Output: the kept columns, then {@code mean}, {@code p10} and {@code p90}
 * (arrays of float, {@code prediction_length} steps each). The {@code prediction_length} argument
 * is required.
 */
public final class Forecaster {

    /** The input column. */
    public static final String VALUES = "values";

    private final ZooModelSpec<TimeSeriesData, Forecast> spec;

    /**
     * Creates a forecaster over a zoo model.
     *
     * @param modelId the zoo model id
     * @param arguments translator arguments; {@code prediction_length} is required
     * @throws IllegalArgumentException if {@code prediction_length} is missing
     */
    public Forecaster(String modelId, Map<String, String> arguments) {
        if (!arguments.containsKey("prediction_length")) {
            throw new IllegalArgumentException(
                    "The forecaster needs the argument prediction_length, got " + arguments);
        }
        spec = new ZooModelSpec<>(modelId, TimeSeriesData.class, Forecast.class, arguments);
    }

    /**
     * Returns the model this forecaster loads on each executor.
     *
     * @return the spec
     */
    public ZooModelSpec<TimeSeriesData, Forecast> spec() {
        return spec;
    }

    /**
     * Forecasts every row (lazily).
     *
     * @param series rows with a {@code values} column
     * @return the results
     * @throws MalformedDatasetException if {@code values} is missing or not a numeric array
     */
    public Dataset<Row> forecast(Dataset<Row> series) {
        Columns.require(
                series,
                "time-series",
                VALUES,
                DataTypes.createArrayType(DataTypes.FloatType, true),
                DataTypes.createArrayType(DataTypes.DoubleType, true));
        return PartitionInference.map(series, spec, new Codec());
    }

    /**
     * Builds the model input of a history.
     *
     * @param history the values in time order
     * @param manager the manager owning the input's NDArray
     * @return the input
     */
    public static TimeSeriesData input(float[] history, NDManager manager) {
        TimeSeriesData data = new TimeSeriesData(1);
        data.add(FieldName.TARGET, manager.create(history));
        return data;
    }

    private static Float[] boxed(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    /**
     * Returns this family's row conversion (for {@link PartitionInference#inJvm}).
     *
     * @return the codec
     */
    static RowCodec<TimeSeriesData, Forecast> codec() {
        return new Codec();
    }

    private static final class Codec implements RowCodec<TimeSeriesData, Forecast> {

        private static final long serialVersionUID = 1L;

        @Override
        public List<String> droppedColumns() {
            return List.of(VALUES);
        }

        @Override
        public List<StructField> resultFields() {
            return List.of(
                    DataTypes.createStructField(
                            "mean", DataTypes.createArrayType(DataTypes.FloatType), false),
                    DataTypes.createStructField(
                            "p10", DataTypes.createArrayType(DataTypes.FloatType), false),
                    DataTypes.createStructField(
                            "p90", DataTypes.createArrayType(DataTypes.FloatType), false));
        }

        @Override
        public TimeSeriesData input(Row row, NDManager manager) {
            List<Object> values = row.getList(row.fieldIndex(VALUES));
            if (values == null || values.isEmpty()) {
                throw new MalformedDatasetException("Column 'values' is null or empty in " + row);
            }
            float[] history = new float[values.size()];
            for (int i = 0; i < history.length; i++) {
                Object v = values.get(i);
                if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                    throw new MalformedDatasetException(
                            "Column 'values' holds '" + v + "' at " + i + " in " + row);
                }
                history[i] = n.floatValue();
            }
            return Forecaster.input(history, manager);
        }

        @Override
        public Object[] results(Forecast output) {
            if (output instanceof PointForecast point) {
                // Plain arrays: no NDArray is created in the predictor's manager per row.
                return new Object[] {
                    boxed(point.pointValues()),
                    boxed(point.quantileValues(0.1f)),
                    boxed(point.quantileValues(0.9f))
                };
            }
            return new Object[] {
                boxed(output.mean().toFloatArray()),
                boxed(output.quantile(0.1f).toFloatArray()),
                boxed(output.quantile(0.9f).toFloatArray())
            };
        }
    }
}
