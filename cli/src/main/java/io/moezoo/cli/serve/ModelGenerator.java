package io.moezoo.cli.serve;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.moezoo.hf.GenerationDefaults;
import io.moezoo.translators.text.BatchDecoder;
import io.moezoo.translators.text.ContextLengthExceededException;
import io.moezoo.translators.text.ContextWindow;
import io.moezoo.translators.text.ContinuousBatcher;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import io.moezoo.translators.text.TextStreamer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A {@link TextGenerator} over a model loaded once: each request gets its own predictor and {@link
 * TextGenerationTranslator} (its settings, its streaming callback), so concurrent requests share
 * the weights and nothing else. The chat replies of a harmony model ({@link ChatPrompt#harmony()})
 * are decoded keeping their special tokens, which mark the reply's messages and channels.
 */
public final class ModelGenerator implements TextGenerator, AutoCloseable {

    private final String id;
    private final ZooModel<String, GeneratedText> model;
    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer chatTokenizer;
    private final GenerationDefaults defaults;
    private final ChatPrompt chatPrompt;
    private final ContinuousBatcher batcher;

    /**
     * Wraps a loaded model; {@link #close} closes it and the tokenizer.
     *
     * @param id the id {@code /v1/models} lists
     * @param model the model (its own translator is not used)
     * @param tokenizer the model's tokenizer
     * @param defaults the checkpoint's generation defaults (end-of-sequence ids, default sampling),
     *     {@link GenerationDefaults#NONE} for none
     * @param chatPrompt how chat messages become a prompt
     * @param chatTokenizer the tokenizer of rendered chat prompts (adding no special tokens: the
     *     template writes them), or null to use {@code tokenizer}
     */
    public ModelGenerator(
            String id,
            ZooModel<String, GeneratedText> model,
            HuggingFaceTokenizer tokenizer,
            GenerationDefaults defaults,
            ChatPrompt chatPrompt,
            HuggingFaceTokenizer chatTokenizer) {
        this(id, model, tokenizer, defaults, chatPrompt, chatTokenizer, 1);
    }

    /**
     * Wraps a loaded model whose concurrent requests, on an engine that decodes batches (MoeJava),
     * run as one batch: up to {@code maxBatch} requests share each forward pass ({@link
     * ContinuousBatcher}); on other engines each request runs on its own.
     *
     * @param id the id {@code /v1/models} lists
     * @param model the model (its own translator is not used)
     * @param tokenizer the model's tokenizer
     * @param defaults the checkpoint's generation defaults
     * @param chatPrompt how chat messages become a prompt
     * @param chatTokenizer the tokenizer of rendered chat prompts, or null to use {@code tokenizer}
     * @param maxBatch the most requests decoded together, &ge; 1 (the server's {@code --parallel})
     */
    public ModelGenerator(
            String id,
            ZooModel<String, GeneratedText> model,
            HuggingFaceTokenizer tokenizer,
            GenerationDefaults defaults,
            ChatPrompt chatPrompt,
            HuggingFaceTokenizer chatTokenizer,
            int maxBatch) {
        this.batcher =
                model.getBlock() instanceof BatchDecoder
                        ? new ContinuousBatcher(model, maxBatch)
                        : null;
        this.id = id;
        this.model = model;
        this.tokenizer = tokenizer;
        this.chatTokenizer = chatTokenizer == null ? tokenizer : chatTokenizer;
        this.defaults = defaults;
        this.chatPrompt = chatPrompt;
    }

    /** {@inheritDoc} */
    @Override
    public String modelId() {
        return id;
    }

    /** {@inheritDoc} */
    @Override
    public ChatPrompt chatPrompt() {
        return chatPrompt;
    }

    /** {@inheritDoc} */
    @Override
    public Completion generate(String prompt, GenerationRequest request, Consumer<String> onText)
            throws Exception {
        return run(tokenizer, prompt, request, onText, false);
    }

    /** {@inheritDoc} */
    @Override
    public Completion generateChat(
            String prompt, GenerationRequest request, Consumer<String> onText) throws Exception {
        return run(chatTokenizer, prompt, request, onText, chatPrompt.harmony());
    }

    private Completion run(
            HuggingFaceTokenizer encoder,
            String prompt,
            GenerationRequest request,
            Consumer<String> onText,
            boolean keepSpecialTokens)
            throws Exception {
        if (keepSpecialTokens && !request.stopStrings().isEmpty()) {
            // The reply's text spans several harmony messages; a stop string would cut the
            // analysis channel as readily as the answer.
            throw ApiException.invalid(
                    "stop",
                    "'stop' strings are not supported for harmony (gpt-oss) chat replies; use"
                            + " 'stop_token_ids'");
        }
        int promptTokens = encoder.encode(prompt).getIds().length;
        if (!request.maxTokensGiven()) {
            int room = ContextWindow.of(model.getBlock()) - promptTokens;
            request = request.withMaxTokens(Math.max(1, Math.min(request.maxTokens(), room)));
        }
        GenerationConfig config = defaults.applyTo(request.config(), request.given(), false);
        // What the callback threw (a client that went away), rethrown as it was.
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Consumer<String> callback =
                onText == null
                        ? null
                        : piece -> {
                            try {
                                onText.accept(piece);
                            } catch (RuntimeException e) {
                                failed.compareAndSet(null, e);
                                throw e;
                            }
                        };
        // Harmony replies are decoded keeping their special tokens, which mark their channels.
        TextStreamer streamer =
                keepSpecialTokens && callback != null
                        ? new TextStreamer(encoder, false, callback)
                        : null;
        GeneratedText generated;
        String text;
        try {
            generated =
                    keepSpecialTokens
                            ? generate(
                                    encoder,
                                    prompt,
                                    streamer == null ? config : config.withOnToken(streamer),
                                    null)
                            : generate(encoder, prompt, config, callback);
            text =
                    keepSpecialTokens
                            ? encoder.decode(generated.tokenIds(), false)
                            : generated.text();
            if (streamer != null) {
                streamer.finish(text);
            }
        } catch (Exception e) {
            if (failed.get() != null) {
                throw failed.get();
            }
            throw refusal(e);
        }
        int tokens = generated.tokenIds().length;
        return new Completion(
                text,
                promptTokens,
                tokens,
                !generated.stoppedByToken() && tokens >= request.maxTokens());
    }

    /** Through the batcher when the engine decodes batches, else with a predictor of its own. */
    private GeneratedText generate(
            HuggingFaceTokenizer encoder,
            String prompt,
            GenerationConfig config,
            Consumer<String> callback)
            throws Exception {
        if (batcher != null) {
            return batcher.generate(encoder, prompt, config, callback);
        }
        try (Predictor<String, GeneratedText> predictor =
                model.newPredictor(new TextGenerationTranslator(encoder, config, callback))) {
            return predictor.predict(prompt);
        }
    }

    /** The 400 of a request the model refuses, or the failure itself when it is no such thing. */
    private static Exception refusal(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ContextLengthExceededException c) {
                int context = c.getContextLength();
                if (c.getMaxNewTokens() >= context) {
                    return ApiException.invalid(
                            "max_tokens",
                            "'max_tokens' is "
                                    + c.getMaxNewTokens()
                                    + ", which does not fit in the model's context of "
                                    + context
                                    + " tokens (prompt included): use at most "
                                    + (context - 1));
                }
                return ApiException.invalid(
                        "prompt",
                        "the prompt is "
                                + c.getPromptTokens()
                                + " tokens and 'max_tokens' is "
                                + c.getMaxNewTokens()
                                + ": together more than the model's context of "
                                + context
                                + " tokens; shorten the prompt or lower 'max_tokens'");
            }
        }
        if (e instanceof TranslateException || e instanceof IllegalArgumentException) {
            // The translator's checks of the input: empty or invalid text, ids outside the
            // vocabulary.
            return ApiException.invalid(null, e.getMessage());
        }
        return e;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
        model.close();
        tokenizer.close();
        if (chatTokenizer != tokenizer) {
            chatTokenizer.close();
        }
    }
}
