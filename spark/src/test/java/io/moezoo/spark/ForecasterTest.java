package io.moezoo.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.translators.timeseries.PointForecast;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Forecasts every vega-datasets series of the zoo's catalog (npm {@code vega-datasets}) in local[2]
 * and compares each forecast with the single-JVM predictor's.
 */
class ForecasterTest {

    private static final int LENGTH = 12;

    @Test
    void sparkEqualsSingleJvmPredictorOnVegaSeries() throws Exception {
        Dataset<Row> series =
                JobInputs.series(
                                LocalSpark.get(),
                                DataSets.npmModules().resolve("vega-datasets").toString())
                        .repartition(2);
        Forecaster forecaster =
                new Forecaster(
                        Family.TIME_SERIES.defaultModel(),
                        Map.of("prediction_length", String.valueOf(LENGTH)));
        List<Row> got = forecaster.forecast(series).orderBy("id").collectAsList();
        List<Row> in = series.orderBy("id").collectAsList();
        assertTrue(in.size() >= 40, "vega catalog series: " + in.size());
        assertEquals(in.size(), got.size());

        List<float[]> histories = new ArrayList<>();
        for (Row row : in) {
            List<Float> values = row.getList(row.fieldIndex("values"));
            float[] h = new float[values.size()];
            for (int i = 0; i < h.length; i++) {
                h[i] = values.get(i);
            }
            histories.add(h);
        }
        List<float[][]> expected = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<ai.djl.timeseries.TimeSeriesData> inputs = new ArrayList<>();
            for (float[] h : histories) {
                inputs.add(Forecaster.input(h, manager));
            }
            expected.addAll(
                    LocalSpark.singleJvm(
                            forecaster.spec(),
                            inputs,
                            f -> {
                                PointForecast p = (PointForecast) f;
                                return new float[][] {
                                    p.pointValues(), p.quantileValues(0.1f), p.quantileValues(0.9f)
                                };
                            }));
        }
        String[] columns = {"mean", "p10", "p90"};
        for (int i = 0; i < got.size(); i++) {
            Row row = got.get(i);
            assertEquals(in.get(i).<String>getAs("id"), row.getAs("id"));
            for (int c = 0; c < columns.length; c++) {
                List<Float> values = row.getList(row.fieldIndex(columns[c]));
                float[] actual = new float[values.size()];
                for (int t = 0; t < actual.length; t++) {
                    actual[t] = values.get(t);
                }
                assertEquals(LENGTH, actual.length);
                assertArrayEquals(
                        expected.get(i)[c], actual, 1e-5f, row.getAs("id") + " " + columns[c]);
            }
        }
    }

    @Test
    void stringValuesAreAMalformedDataset() {
        Dataset<Row> bad = LocalSpark.get().sql("SELECT 'x' AS id, 'not numbers' AS values");
        MalformedDatasetException e =
                assertThrows(
                        MalformedDatasetException.class,
                        () ->
                                new Forecaster("time-moe-vega", Map.of("prediction_length", "4"))
                                        .forecast(bad));
        assertTrue(e.getMessage().contains("'values'"), e.getMessage());
    }

    @Test
    void predictionLengthIsRequired() {
        assertThrows(
                IllegalArgumentException.class, () -> new Forecaster("time-moe-vega", Map.of()));
    }
}
