package io.moezoo.translators.text;

import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Continues several prompts at once. When the model's block is a {@link BatchDecoder} (the MoeJava
 * engine) the prompts are prefilled together and then decoded in lock-step, one forward pass per
 * step for all sequences still running, each with its own sampler, stop rules and cache; a finished
 * sequence drops out while the others go on. Other blocks (the PyTorch reference path) generate the
 * prompts one after another through {@link TextGenerationTranslator}. Both give each prompt the
 * same result as generating it alone with the same {@link GenerationConfig} (a fixed seed gives
 * every sequence the same random stream).
 *
 * <pre>{@code
 * BatchTextGenerator generator = new BatchTextGenerator(model, tokenizer, config);
 * List<GeneratedText> out = generator.generate(List.of("Once upon", "The market"));
 * }</pre>
 */
public final class BatchTextGenerator {

    private final Model model;
    private final HuggingFaceTokenizer tokenizer;
    private final GenerationConfig config;

    /**
     * Creates a generator.
     *
     * @param model the loaded causal language model
     * @param tokenizer its tokenizer
     * @param config how to generate (shared by every prompt)
     */
    public BatchTextGenerator(
            Model model, HuggingFaceTokenizer tokenizer, GenerationConfig config) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
    }

    /**
     * Returns whether the prompts run as one batch on this model (else one after another).
     *
     * @return true when the block is a {@link BatchDecoder}
     */
    public boolean batched() {
        return model.getBlock() instanceof BatchDecoder;
    }

    /**
     * Continues every prompt.
     *
     * @param prompts the prompts
     * @return one result per prompt, in order
     * @throws TranslateException if a prompt is empty or does not fit, or generation fails
     */
    public List<GeneratedText> generate(List<String> prompts) throws TranslateException {
        return generate(prompts, null);
    }

    /**
     * Continues every prompt, streaming each one's text as it becomes final.
     *
     * @param prompts the prompts
     * @param onText receives (prompt index, text piece); the pieces of one index add up to its
     *     {@link GeneratedText#text()}; null for no streaming
     * @return one result per prompt, in order
     * @throws TranslateException if a prompt is empty or does not fit, or generation fails
     */
    public List<GeneratedText> generate(List<String> prompts, BiConsumer<Integer, String> onText)
            throws TranslateException {
        if (prompts.isEmpty()) {
            return List.of();
        }
        List<long[]> ids = new ArrayList<>();
        for (String prompt : prompts) {
            ids.add(
                    CausalLmInput.ids(
                            tokenizer,
                            prompt,
                            1,
                            model.getBlock(),
                            config.maxNewTokens(),
                            config.truncatePrompt()));
        }
        if (model.getBlock() instanceof BatchDecoder decoder) {
            return lockStep(decoder, ids, onText);
        }
        List<GeneratedText> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            try (Predictor<String, GeneratedText> predictor =
                    model.newPredictor(
                            new TextGenerationTranslator(tokenizer, config, stream(onText, i)))) {
                out.add(predictor.predict(prompts.get(i)));
            }
        }
        return out;
    }

    private List<GeneratedText> lockStep(
            BatchDecoder decoder, List<long[]> ids, BiConsumer<Integer, String> onText)
            throws TranslateException {
        int n = ids.size();
        List<SequenceGeneration> sequences = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sequences.add(new SequenceGeneration(tokenizer, config, ids.get(i), stream(onText, i)));
        }
        try (BatchDecoder.Batch batch = decoder.newBatch()) {
            int[] members = new int[n];
            for (int i = 0; i < n; i++) {
                members[i] = batch.add();
            }
            int[] running = java.util.stream.IntStream.range(0, n).toArray();
            float[][] logits = run(batch, members, running, ids.toArray(new long[0][]));
            while (true) {
                List<Integer> next = new ArrayList<>();
                List<long[]> tokens = new ArrayList<>();
                for (int r = 0; r < running.length; r++) {
                    long token = sequences.get(running[r]).step(logits[r]);
                    if (token >= 0) {
                        next.add(running[r]);
                        tokens.add(new long[] {token});
                    }
                }
                if (next.isEmpty()) {
                    break;
                }
                running = next.stream().mapToInt(Integer::intValue).toArray();
                logits = run(batch, members, running, tokens.toArray(new long[0][]));
            }
        }
        List<GeneratedText> out = new ArrayList<>();
        for (SequenceGeneration sequence : sequences) {
            out.add(sequence.result());
        }
        return out;
    }

    /** Runs the tokens of the prompts at the given indices. */
    private static float[][] run(
            BatchDecoder.Batch batch, int[] members, int[] indices, long[][] tokens)
            throws TranslateException {
        int[] sequences = new int[indices.length];
        for (int r = 0; r < indices.length; r++) {
            sequences[r] = members[indices[r]];
        }
        try {
            return batch.run(sequences, tokens);
        } catch (IllegalArgumentException e) {
            throw new TranslateException(e.getMessage(), e);
        }
    }

    private static Consumer<String> stream(BiConsumer<Integer, String> onText, int index) {
        return onText == null ? null : piece -> onText.accept(index, piece);
    }
}
