package io.moezoo.translators.reward;

import ai.djl.Model;
import ai.djl.translate.ArgumentsUtil;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates the reward translators from the model's arguments: {@code maxPromptBytes}, {@code
 * maxResponseBytes} (integers), {@code objectives} (comma-separated, in output order) and, for
 * models with an outer router, {@code categories} (comma-separated). Supports {@code (RewardInput,
 * RewardScore)} and {@code (PreferencePair, PreferenceProbability)}.
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
        int maxPrompt = ArgumentsUtil.intValue(arguments, "maxPromptBytes", -1);
        int maxResponse = ArgumentsUtil.intValue(arguments, "maxResponseBytes", -1);
        String objectives = ArgumentsUtil.stringValue(arguments, "objectives");
        if (maxPrompt <= 0 || maxResponse <= 1 || objectives == null || objectives.isBlank()) {
            throw new TranslateException(
                    "Reward translator needs the arguments maxPromptBytes, maxResponseBytes and"
                            + " objectives (see the model's card.json), got "
                            + arguments);
        }
        RewardTextEncoding encoding = new RewardTextEncoding(maxPrompt, maxResponse);
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

    private static List<String> split(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::strip).toList();
    }
}
