package io.moezoo.translators.timeseries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.translate.TranslateException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The prediction length is bounded (by default by the context length) before anything runs. */
class ForecastLengthTest {

    @Test
    void thePredictionLengthIsAtMostTheMaximum() {
        TimeMoeForecastTranslator longest = new TimeMoeForecastTranslator(128, 128, 8, "M");
        assertEquals(128, longest.getMaxPredictionLength());
        assertEquals(
                "prediction_length must be in 1..128 (the model's max_prediction_length), got 129",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new TimeMoeForecastTranslator(129, 128, 8, "M"))
                        .getMessage());
        assertEquals(
                "prediction_length must be in 1..128 (the model's max_prediction_length), got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new TimeMoeForecastTranslator(0, 128, 8, "M"))
                        .getMessage());
        assertEquals(
                300, new TimeMoeForecastTranslator(300, 128, 8, "M", 512).getPredictionLength());
        assertEquals(
                "max_prediction_length must be > 0, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new TimeMoeForecastTranslator(1, 128, 8, "M", 0))
                        .getMessage());
    }

    @Test
    void theFactoryRefusesAHorizonBeyondTheModel() throws Exception {
        TimeMoeForecastTranslatorFactory factory = new TimeMoeForecastTranslatorFactory();
        TranslateException e =
                assertThrows(
                        TranslateException.class,
                        () ->
                                factory.newInstance(
                                        TimeSeriesData.class,
                                        Forecast.class,
                                        null,
                                        Map.of(
                                                "prediction_length",
                                                1_000_000_000,
                                                "context_length",
                                                128)));
        assertEquals(
                "Invalid forecast arguments: prediction_length must be in 1..128 (the model's"
                        + " max_prediction_length), got 1000000000",
                e.getMessage());
        TimeMoeForecastTranslator wider =
                (TimeMoeForecastTranslator)
                        factory.newInstance(
                                TimeSeriesData.class,
                                Forecast.class,
                                null,
                                Map.of(
                                        "prediction_length", 200,
                                        "context_length", 128,
                                        "max_prediction_length", 256));
        assertEquals(256, wider.getMaxPredictionLength());
        TimeMoeForecastTranslator defaults =
                (TimeMoeForecastTranslator)
                        factory.newInstance(
                                TimeSeriesData.class,
                                Forecast.class,
                                null,
                                Map.of("prediction_length", 12));
        assertEquals(512, defaults.getMaxPredictionLength(), "context_length's default");
    }

    @Test
    void theFactoryReadsTheHeadSelection() throws Exception {
        TimeMoeForecastTranslatorFactory factory = new TimeMoeForecastTranslatorFactory();
        TimeMoeForecastTranslator defaults =
                (TimeMoeForecastTranslator)
                        factory.newInstance(
                                TimeSeriesData.class,
                                Forecast.class,
                                null,
                                Map.of("prediction_length", 12));
        assertEquals(ForecastHeads.Selection.TIME_MOE, defaults.getHeadSelection());
        TimeMoeForecastTranslator covering =
                (TimeMoeForecastTranslator)
                        factory.newInstance(
                                TimeSeriesData.class,
                                Forecast.class,
                                null,
                                Map.of(
                                        "prediction_length",
                                        12,
                                        "head_selection",
                                        "shortest_covering"));
        assertEquals(ForecastHeads.Selection.SHORTEST_COVERING, covering.getHeadSelection());
        TranslateException e =
                assertThrows(
                        TranslateException.class,
                        () ->
                                factory.newInstance(
                                        TimeSeriesData.class,
                                        Forecast.class,
                                        null,
                                        Map.of("prediction_length", 12, "head_selection", "all")));
        assertEquals(
                "Invalid forecast arguments: head_selection must be time_moe or shortest_covering,"
                        + " got all",
                e.getMessage());
    }
}
