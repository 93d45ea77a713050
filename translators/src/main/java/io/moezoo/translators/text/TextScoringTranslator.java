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
 */
public final class TextScoringTranslator implements NoBatchifyTranslator<String, SequenceScore> {

    private final HuggingFaceTokenizer tokenizer;

    /**
     * Creates the translator.
     *
     * @param tokenizer the model's tokenizer
     */
    public TextScoringTranslator(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, String text) throws TranslateException {
        long[] ids = CausalLmInput.ids(tokenizer, text, 2);
        ctx.setAttachment("ids", ids);
        return CausalLmInput.batch(ctx.getNDManager(), ids);
    }

    /** {@inheritDoc} */
    @Override
    public SequenceScore processOutput(TranslatorContext ctx, NDList list) {
        long[] ids = (long[]) ctx.getAttachment("ids");
        NDArray logits = list.get(0);
        long vocab = logits.getShape().get(2);
        float[] logProbs = logits.reshape(ids.length, vocab).logSoftmax(-1).toFloatArray();
        float[] scores = new float[ids.length - 1];
        double sum = 0;
        for (int i = 1; i < ids.length; i++) {
            scores[i - 1] = logProbs[(int) ((i - 1) * vocab + ids[i])];
            sum += scores[i - 1];
        }
        return new SequenceScore(ids, scores, Math.exp(-sum / scores.length));
    }
}
