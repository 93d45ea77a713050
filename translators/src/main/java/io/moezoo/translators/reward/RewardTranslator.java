package io.moezoo.translators.reward;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * (prompt, response) → {@link RewardScore}. Each input becomes the model inputs {@code ids [S]}
 * (int64), {@code prompt_mask [S]} and {@code response_mask [S]} (float32) of the fixed length S of
 * its {@link RewardEncoding}, so inputs stack into batches ({@code batchPredict}).
 */
public final class RewardTranslator implements Translator<RewardInput, RewardScore> {

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
    public RewardTranslator(
            RewardEncoding encoding, List<String> objectives, List<String> categories) {
        this.encoding = encoding;
        this.objectives = List.copyOf(objectives);
        this.categories = List.copyOf(categories);
    }

    /**
     * Builds the model inputs of one encoded text (no batch axis).
     *
     * @param manager the manager owning the arrays
     * @param encoded the encoded text
     * @return {@code [ids, prompt_mask, response_mask]}
     */
    static NDList inputs(NDManager manager, EncodedResponse encoded) {
        NDList list =
                new NDList(
                        manager.create(encoded.ids()),
                        manager.create(encoded.promptMask()),
                        manager.create(encoded.responseMask()));
        list.get(0).setName("ids");
        list.get(1).setName("prompt_mask");
        list.get(2).setName("response_mask");
        return list;
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, RewardInput input) throws TranslateException {
        if (input == null) {
            throw new InvalidRewardInputException("input", "is null");
        }
        return inputs(
                ctx.getNDManager(), encoding.encode(input.prompt(), input.response(), "response"));
    }

    /** {@inheritDoc} */
    @Override
    public RewardScore processOutput(TranslatorContext ctx, NDList list) {
        return RewardOutputs.read(list, 0, objectives, categories);
    }

    /** {@inheritDoc} */
    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }
}
