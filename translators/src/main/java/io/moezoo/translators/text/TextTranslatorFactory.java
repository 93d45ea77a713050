package io.moezoo.translators.text;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.translate.ArgumentsUtil;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates the text translators for a causal language model directory holding {@code
 * tokenizer.json}: {@code String → GeneratedText} ({@link TextGenerationTranslator}) and {@code
 * String → SequenceScore} ({@link TextScoringTranslator}).
 *
 * <p>Arguments (metadata or {@code Criteria.optArgument}): {@code maxNewTokens} (32), {@code
 * temperature} (0 = greedy), {@code topK} (0 = all), {@code topP} (1), {@code seed} (0), {@code
 * stopTokens} (comma-separated ids or a JSON list), {@code addSpecialTokens} (false).
 */
public final class TextTranslatorFactory implements TranslatorFactory {

    private static final Set<Pair<Type, Type>> SUPPORTED =
            Set.of(
                    new Pair<>(String.class, GeneratedText.class),
                    new Pair<>(String.class, SequenceScore.class));

    /** {@inheritDoc} */
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return SUPPORTED;
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException(
                    "Unsupported types " + input.getSimpleName() + " -> " + output.getSimpleName());
        }
        HuggingFaceTokenizer tokenizer = tokenizer(model.getModelPath(), arguments);
        if (output == SequenceScore.class) {
            return (Translator<I, O>) new TextScoringTranslator(tokenizer);
        }
        GenerationConfig config =
                new GenerationConfig(
                        ArgumentsUtil.intValue(arguments, "maxNewTokens", 32),
                        ArgumentsUtil.floatValue(arguments, "temperature", 0f),
                        ArgumentsUtil.intValue(arguments, "topK", 0),
                        ArgumentsUtil.floatValue(arguments, "topP", 1f),
                        ArgumentsUtil.longValue(arguments, "seed", 0L),
                        stopTokens(arguments.get("stopTokens")),
                        null);
        return (Translator<I, O>) new TextGenerationTranslator(tokenizer, config);
    }

    private static HuggingFaceTokenizer tokenizer(Path dir, Map<String, ?> arguments)
            throws TranslateException {
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new TranslateException(file + " not found: the model has no tokenizer");
        }
        try {
            return HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(
                            ArgumentsUtil.booleanValue(arguments, "addSpecialTokens", false))
                    .optTruncation(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new TranslateException(file + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    private static Set<Long> stopTokens(Object value) {
        Set<Long> ids = new HashSet<>();
        if (value == null) {
            return ids;
        }
        Iterable<?> items =
                value instanceof List<?> list ? list : List.of(value.toString().split(","));
        for (Object item : items) {
            String s = item.toString().trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                ids.add((long) Double.parseDouble(s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("stopTokens: '" + s + "' is not a token id", e);
            }
        }
        return ids;
    }
}
