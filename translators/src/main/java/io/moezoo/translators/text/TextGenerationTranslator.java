package io.moezoo.translators.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.util.function.Consumer;

/**
 * Prompt → continuation. The predictor runs the prompt through the model (prefill); {@link
 * #processOutput} then decodes one token at a time until a stop token or the token limit: through a
 * cache the block keeps if it is an {@link IncrementalDecoder}, otherwise by feeding the keys and
 * values the block returns back into it.
 *
 * <p>Bounds: the tokenized prompt plus {@link GenerationConfig#maxNewTokens()} must fit in the
 * block's {@link ContextWindow} (a {@link ContextLengthExceededException} otherwise, or the
 * prompt's last tokens with {@link GenerationConfig#truncatePrompt()}); {@code topK} and the stop
 * tokens must lie inside the vocabulary. Nothing is allocated in proportion to {@code maxNewTokens}
 * before a token is generated.
 *
 * <p>Streaming: {@link GenerationConfig#onToken()} receives each token id as it is chosen; a text
 * callback ({@link #TextGenerationTranslator(HuggingFaceTokenizer, GenerationConfig, Consumer)})
 * receives the decoded text as it becomes final.
 */
public final class TextGenerationTranslator implements NoBatchifyTranslator<String, GeneratedText> {

    /** The context attachment holding the prompt's ids (for the repetition penalty). */
    private static final String PROMPT_IDS = "moezoo.promptIds";

    private final HuggingFaceTokenizer tokenizer;
    private final GenerationConfig config;
    private final Consumer<String> onText;

    /**
     * Creates the translator.
     *
     * @param tokenizer the model's tokenizer
     * @param config how to generate
     */
    public TextGenerationTranslator(HuggingFaceTokenizer tokenizer, GenerationConfig config) {
        this(tokenizer, config, null);
    }

    /**
     * Creates a translator that also streams the text as it is generated.
     *
     * @param tokenizer the model's tokenizer
     * @param config how to generate
     * @param onText receives the continuation piece by piece while it is generated (through a
     *     {@link TextStreamer}: the pieces add up to {@link GeneratedText#text()}), or null
     */
    public TextGenerationTranslator(
            HuggingFaceTokenizer tokenizer, GenerationConfig config, Consumer<String> onText) {
        this.tokenizer = tokenizer;
        this.config = config;
        this.onText = onText;
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, String prompt) throws TranslateException {
        long[] ids =
                CausalLmInput.ids(
                        tokenizer,
                        prompt,
                        1,
                        ctx.getModel() == null ? null : ctx.getModel().getBlock(),
                        config.maxNewTokens(),
                        config.truncatePrompt());
        ctx.setAttachment(PROMPT_IDS, ids);
        return CausalLmInput.batch(ctx.getNDManager(), ids);
    }

    /** {@inheritDoc} */
    @Override
    public GeneratedText processOutput(TranslatorContext ctx, NDList prefill)
            throws TranslateException {
        Block block = ctx.getModel().getBlock();
        NDList past = prefill.subNDList(1);
        if (block instanceof IncrementalDecoder decoder) {
            try (IncrementalDecoder.Session session =
                    decoder.startDecoding(ctx.getNDManager(), past)) {
                return generate(ctx, prefill.get(0), session::next);
            }
        }
        NDList[] carried = {past};
        return generate(
                ctx,
                prefill.get(0),
                (ps, ids) -> {
                    NDList input = new NDList(ids);
                    input.addAll(carried[0]);
                    NDList out = block.forward(ps, input, false);
                    carried[0] = out.subNDList(1);
                    return out.get(0);
                });
    }

    /**
     * One decoding step: the logits {@code [1, 1, V]} of the next token's ids {@code [1, 1]}, with
     * a parameter store over the step's manager.
     */
    private interface Step {
        NDArray logits(ParameterStore ps, NDArray ids);
    }

    private GeneratedText generate(TranslatorContext ctx, NDArray logits, Step next)
            throws TranslateException {
        long[] prompt = ctx.getAttachment(PROMPT_IDS) instanceof long[] ids ? ids : null;
        SequenceGeneration sequence = new SequenceGeneration(tokenizer, config, prompt, onText);
        NDManager previous = null;
        try {
            long token = sequence.step(logits.get(new NDIndex("0, -1, :")).toFloatArray());
            while (token >= 0) {
                // Each step's arrays live in their own manager, closed once the next step has run.
                NDManager step = ctx.getNDManager().newSubManager();
                logits =
                        next.logits(
                                new ParameterStore(step, false),
                                step.create(new long[] {token}, new Shape(1, 1)));
                if (previous != null) {
                    previous.close();
                }
                previous = step;
                token = sequence.step(logits.get(new NDIndex("0, -1, :")).toFloatArray());
            }
        } finally {
            if (previous != null) {
                previous.close();
            }
        }
        return sequence.result();
    }
}
