package io.moezoo.translators.reward;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates the reward translators from the model's arguments: the length limits, either {@code
 * maxPromptBytes} and {@code maxResponseBytes} (byte-level models, {@link RewardTextEncoding}) or
 * {@code maxPromptTokens}, {@code maxResponseTokens} and {@code padToken} (models over a language
 * model, {@link RewardTokenEncoding} with the model directory's {@code tokenizer.json}), {@code
 * objectives} (comma-separated, in output order) and, for models with an outer router, {@code
 * categories} (comma-separated). Supports {@code (RewardInput, RewardScore)} and {@code
 * (PreferencePair, PreferenceProbability)}.
 */
public final class RewardTranslatorFactory implements TranslatorFactory {

    /** {@inheritDoc} */
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(
                new Pair<>(RewardInput.class, RewardScore.class),
                new Pair<>(PreferencePair.class, PreferenceProbability.class));
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        String objectives = ArgumentsUtil.stringValue(arguments, "objectives");
        if (objectives == null || objectives.isBlank()) {
            throw new TranslateException(
                    "Reward translator needs the argument objectives (see the model's card.json),"
                            + " got "
                            + arguments);
        }
        RewardEncoding encoding =
                arguments.containsKey("maxPromptTokens")
                        ? tokenEncoding(model.getModelPath(), arguments)
                        : byteEncoding(arguments);
        List<String> objectiveNames = split(objectives);
        List<String> categoryNames = split(ArgumentsUtil.stringValue(arguments, "categories", ""));
        if (input == RewardInput.class && output == RewardScore.class) {
            return (Translator<I, O>) new RewardTranslator(encoding, objectiveNames, categoryNames);
        }
        if (input == PreferencePair.class && output == PreferenceProbability.class) {
            return (Translator<I, O>)
                    new PreferenceTranslator(encoding, objectiveNames, categoryNames);
        }
        throw new IllegalArgumentException(
                "Unsupported input/output types: " + input.getName() + " -> " + output.getName());
    }

    private static RewardEncoding byteEncoding(Map<String, ?> arguments) throws TranslateException {
        int maxPrompt = ArgumentsUtil.intValue(arguments, "maxPromptBytes", -1);
        int maxResponse = ArgumentsUtil.intValue(arguments, "maxResponseBytes", -1);
        if (maxPrompt <= 0 || maxResponse <= 1) {
            throw new TranslateException(
                    "Reward translator needs the arguments maxPromptBytes and maxResponseBytes"
                            + " (or maxPromptTokens, maxResponseTokens and padToken with a"
                            + " tokenizer.json), got "
                            + arguments);
        }
        return new RewardTextEncoding(maxPrompt, maxResponse);
    }

    private static RewardEncoding tokenEncoding(Path dir, Map<String, ?> arguments)
            throws TranslateException {
        int maxPrompt = ArgumentsUtil.intValue(arguments, "maxPromptTokens", -1);
        int maxResponse = ArgumentsUtil.intValue(arguments, "maxResponseTokens", -1);
        long pad = ArgumentsUtil.longValue(arguments, "padToken", -1L);
        if (maxPrompt <= 0 || maxResponse <= 0 || pad < 0) {
            throw new TranslateException(
                    "Reward translator needs positive maxPromptTokens and maxResponseTokens and a"
                            + " padToken >= 0, got "
                            + arguments);
        }
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new TranslateException(file + " not found: the reward model has no tokenizer");
        }
        try {
            HuggingFaceTokenizer tokenizer =
                    HuggingFaceTokenizer.builder()
                            .optTokenizerPath(file)
                            .optAddSpecialTokens(false)
                            .optTruncation(false)
                            .build();
            return new RewardTokenEncoding(tokenizer, maxPrompt, maxResponse, pad);
        } catch (IOException | RuntimeException e) {
            throw new TranslateException(file + ": cannot load tokenizer: " + e.getMessage(), e);
        }
    }

    private static List<String> split(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::strip).toList();
    }
}
