package io.moezoo.translators.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;

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
        int vocab = Math.toIntExact(logits.getShape().get(2));
        // On the host, so that any engine's logits can be scored (no NDArray operation needed).
        float[] all = logits.toFloatArray();
        float[] scores = new float[ids.length - 1];
        for (int p = 0; p + 1 < ids.length; p++) {
            scores[p] = logSoftmax(all, p * vocab, vocab, (int) ids[p + 1]);
        }
        double sum = 0;
        for (float s : scores) {
            sum += s;
        }
        return new SequenceScore(ids, scores, Math.exp(-sum / scores.length));
    }

    /** log softmax(row)[target], with the log-sum-exp in double. */
    private static float logSoftmax(float[] logits, int from, int vocab, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, logits[from + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            sum += Math.exp(logits[from + v] - max);
        }
        return (float) (logits[from + target] - max - Math.log(sum));
    }
}
