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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Creates the text translators for a causal language model directory holding {@code
 * tokenizer.json}: {@code String → GeneratedText} ({@link TextGenerationTranslator}) and {@code
 * String → SequenceScore} ({@link TextScoringTranslator}).
 *
 * <p>Arguments (metadata or {@code Criteria.optArgument}): {@code maxNewTokens} (32), {@code
 * temperature} (0 = greedy), {@code topK} (0 = all), {@code topP} (1), {@code seed} (0), {@code
 * stopTokens} (comma-separated ids or a JSON list), {@code stopStrings} (a list of texts, or one
 * text, that end generation), {@code truncatePrompt} (false: a prompt that does not fit in the
 * block's {@link ContextWindow} is refused; true: its last tokens are kept; for both translators),
 * {@code addSpecialTokens} (false), and, from code only, {@code onText}: a {@code Consumer<String>}
 * that receives the generated text while it is generated (see {@link
 * TextGenerationTranslator#TextGenerationTranslator(HuggingFaceTokenizer, GenerationConfig,
 * Consumer)}). Invalid values are refused with a {@link TranslateException} naming the argument.
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
        boolean truncate = ArgumentsUtil.booleanValue(arguments, "truncatePrompt", false);
        GenerationConfig config = null;
        if (output == GeneratedText.class) {
            try {
                config =
                        new GenerationConfig(
                                ArgumentsUtil.intValue(arguments, "maxNewTokens", 32),
                                ArgumentsUtil.floatValue(arguments, "temperature", 0f),
                                ArgumentsUtil.intValue(arguments, "topK", 0),
                                ArgumentsUtil.floatValue(arguments, "topP", 1f),
                                ArgumentsUtil.longValue(arguments, "seed", 0L),
                                stopTokens(arguments.get("stopTokens")),
                                null,
                                truncate,
                                ArgumentsUtil.floatValue(arguments, "minP", 0f),
                                ArgumentsUtil.floatValue(arguments, "repetitionPenalty", 1f),
                                ArgumentsUtil.floatValue(arguments, "presencePenalty", 0f),
                                ArgumentsUtil.floatValue(arguments, "frequencyPenalty", 0f),
                                stopStrings(arguments.get("stopStrings")));
            } catch (IllegalArgumentException e) {
                throw new TranslateException("Invalid generation arguments: " + e.getMessage(), e);
            }
        }
        Consumer<String> onText = onText(arguments.get("onText"));
        HuggingFaceTokenizer tokenizer = tokenizer(model.getModelPath(), arguments);
        if (output == SequenceScore.class) {
            return (Translator<I, O>) new TextScoringTranslator(tokenizer, truncate);
        }
        return (Translator<I, O>) new TextGenerationTranslator(tokenizer, config, onText);
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

    /** The {@code onText} argument: absent, or a {@code Consumer<String>}. */
    @SuppressWarnings("unchecked")
    private static Consumer<String> onText(Object value) throws TranslateException {
        if (value == null || value instanceof Consumer<?>) {
            return (Consumer<String>) value;
        }
        throw new TranslateException(
                "Invalid generation argument onText: expected a Consumer<String>, got "
                        + value.getClass().getName());
    }

    /** A token id: an integer, or an integral number as JSON lists give them (50256.0). */
    private static long tokenId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(s);
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    return (long) d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("stopTokens: '" + s + "' is not a token id", e);
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
            ids.add(tokenId(s));
        }
        return ids;
    }

    private static List<String> stopStrings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            return List.of(value.toString());
        }
        List<String> strings = new ArrayList<>();
        for (Object item : list) {
            strings.add(item == null ? null : item.toString());
        }
        return strings;
    }
}
