package io.moezoo.translators.reward;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * (prompt, chosen, rejected) → {@link PreferenceProbability} \(\sigma(r_c - r_r)\): both responses
 * are scored in one batch of two.
 */
public final class PreferenceTranslator
        implements NoBatchifyTranslator<PreferencePair, PreferenceProbability> {

    private final RewardEncoding encoding;
    private final List<String> objectives;
    private final List<String> categories;

    /**
     * Creates the translator.
     *
     * @param encoding the text encoding (the model's length limits)
     * @param objectives the model's objective names, in output order
     * @param categories the outer router's category names, or empty
     */
    public PreferenceTranslator(
            RewardEncoding encoding, List<String> objectives, List<String> categories) {
        this.encoding = encoding;
        this.objectives = List.copyOf(objectives);
        this.categories = List.copyOf(categories);
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, PreferencePair pair)
            throws TranslateException {
        if (pair == null) {
            throw new InvalidRewardInputException("pair", "is null");
        }
        NDList chosen =
                RewardTranslator.inputs(
                        ctx.getNDManager(),
                        encoding.encode(pair.prompt(), pair.chosen(), "chosen"));
        NDList rejected =
                RewardTranslator.inputs(
                        ctx.getNDManager(),
                        encoding.encode(pair.prompt(), pair.rejected(), "rejected"));
        NDList batch = new NDList();
        for (int i = 0; i < chosen.size(); i++) {
            batch.add(NDArrays.stack(new NDList(chosen.get(i), rejected.get(i))));
            batch.get(i).setName(chosen.get(i).getName());
        }
        return batch;
    }

    /** {@inheritDoc} */
    @Override
    public PreferenceProbability processOutput(TranslatorContext ctx, NDList list) {
        RewardScore chosen = RewardOutputs.read(list, 0, objectives, categories);
        RewardScore rejected = RewardOutputs.read(list, 1, objectives, categories);
        double margin = (double) chosen.score() - rejected.score();
        float probability = (float) (1.0 / (1.0 + Math.exp(-margin)));
        return new PreferenceProbability(probability, chosen, rejected);
    }
}
