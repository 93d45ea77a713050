package io.moezoo.translators.timeseries;

import ai.djl.Model;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.translate.ArgumentsUtil;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@link TimeMoeForecastTranslator}s from the model arguments:
 *
 * <ul>
 *   <li>{@code prediction_length} (required, 1 .. {@code max_prediction_length}): the number of
 *       values to forecast;
 *   <li>{@code context_length} (default 512): the most recent values the model sees (use the
 *       model's training window, given in its card);
 *   <li>{@code max_prediction_length} (default {@code context_length}): the longest accepted
 *       forecast; a longer one is refused here, before anything is allocated for it;
 *   <li>{@code min_context_length} (default 8): shorter series are rejected;
 *   <li>{@code freq} (default "D"): the frequency string carried by the forecast;
 *   <li>{@code head_selection} (default {@code time_moe}): how the heads make the forecast, {@code
 *       time_moe} or {@code shortest_covering} (see {@link ForecastHeads}).
 * </ul>
 */
public final class TimeMoeForecastTranslatorFactory implements TranslatorFactory {

    /** {@inheritDoc} */
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(TimeSeriesData.class, Forecast.class));
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException(
                    "Unsupported types "
                            + input
                            + " -> "
                            + output
                            + "; use TimeSeriesData -> Forecast");
        }
        if (arguments == null || !arguments.containsKey("prediction_length")) {
            throw new TranslateException("The argument prediction_length is required");
        }
        try {
            int contextLength = ArgumentsUtil.intValue(arguments, "context_length", 512);
            return (Translator<I, O>)
                    new TimeMoeForecastTranslator(
                            ArgumentsUtil.intValue(arguments, "prediction_length"),
                            contextLength,
                            ArgumentsUtil.intValue(arguments, "min_context_length", 8),
                            ArgumentsUtil.stringValue(arguments, "freq", "D"),
                            ArgumentsUtil.intValue(
                                    arguments, "max_prediction_length", contextLength),
                            ForecastHeads.Selection.of(
                                    ArgumentsUtil.stringValue(
                                            arguments, "head_selection", "time_moe")));
        } catch (IllegalArgumentException e) {
            throw new TranslateException("Invalid forecast arguments: " + e.getMessage(), e);
        }
    }
}
