package io.moezoo.translators.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.util.Arrays;

/**
 * Text → per-token log-probabilities and perplexity under the model: \(\log p(t_i \mid t_{&lt;i}) =
 * \mathrm{logsoftmax}(\text{logits}_{i-1})[t_i]\).
 *
 * <p>The tokenized text must fit in the block's {@link ContextWindow}: a longer one is refused with
 * a {@link ContextLengthExceededException}, or, if the translator truncates, scored on its last
 * {@code contextLength} tokens. The log-probabilities are picked on the engine, so the host holds
 * one value per token, not the logits over the vocabulary.
 */
public final class TextScoringTranslator implements NoBatchifyTranslator<String, SequenceScore> {

    private final HuggingFaceTokenizer tokenizer;
    private final boolean truncate;

    /**
     * Creates a translator that refuses texts longer than the model's context.
     *
     * @param tokenizer the model's tokenizer
     */
    public TextScoringTranslator(HuggingFaceTokenizer tokenizer) {
        this(tokenizer, false);
    }

    /**
     * Creates the translator.
     *
     * @param tokenizer the model's tokenizer
     * @param truncate true to score the last {@code contextLength} tokens of a longer text instead
     *     of refusing it
     */
    public TextScoringTranslator(HuggingFaceTokenizer tokenizer, boolean truncate) {
        this.tokenizer = tokenizer;
        this.truncate = truncate;
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, String text) throws TranslateException {
        long[] ids =
                CausalLmInput.ids(
                        tokenizer,
                        text,
                        2,
                        ctx.getModel() == null ? null : ctx.getModel().getBlock(),
                        0,
                        truncate);
        ctx.setAttachment("ids", ids);
        return CausalLmInput.batch(ctx.getNDManager(), ids);
    }

    /** {@inheritDoc} */
    @Override
    public SequenceScore processOutput(TranslatorContext ctx, NDList list) {
        long[] ids = (long[]) ctx.getAttachment("ids");
        NDArray logits = list.get(0);
        long vocab = logits.getShape().get(2);
        NDManager manager = ctx.getNDManager();
        NDArray next =
                manager.create(
                        Arrays.copyOfRange(ids, 1, ids.length), new Shape(ids.length - 1, 1));
        float[] scores =
                logits.reshape(ids.length, vocab)
                        .get("0:-1")
                        .logSoftmax(-1)
                        .gather(next, 1)
                        .toFloatArray();
        double sum = 0;
        for (float s : scores) {
            sum += s;
        }
        return new SequenceScore(ids, scores, Math.exp(-sum / scores.length));
    }
}
