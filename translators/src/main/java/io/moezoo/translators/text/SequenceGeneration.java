package io.moezoo.translators.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.translate.TranslateException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One sequence being generated: its sampler (with the prompt seen by the repetition penalty), the
 * tokens chosen so far, the stop rules of a {@link GenerationConfig} and the text streamed out. The
 * single-prompt translator and the batched generator drive it the same way: feed the logits of the
 * sequence's last position to {@link #step}, run the token it returns, repeat until it returns -1.
 */
final class SequenceGeneration {

    private final HuggingFaceTokenizer tokenizer;
    private final GenerationConfig config;
    private final TokenSampler sampler;
    private final TextStreamer streamer;
    // Grows with the tokens actually generated, never presized by maxNewTokens.
    private long[] generated;
    private int count;
    private boolean stopped;
    private boolean finished;
    private boolean started;
    // With stop strings: the text so far, and the text up to the stop string once one appeared.
    private int checkedLength;
    private String stoppedText;

    /**
     * Starts a sequence.
     *
     * @param tokenizer the tokenizer (for the final text and the stream)
     * @param config how to generate
     * @param prompt the prompt's ids, or null when unknown
     * @param onText receives the text as it becomes final, or null
     */
    SequenceGeneration(
            HuggingFaceTokenizer tokenizer,
            GenerationConfig config,
            long[] prompt,
            Consumer<String> onText) {
        this.tokenizer = tokenizer;
        this.config = config;
        this.sampler = new TokenSampler(config);
        if (prompt != null) {
            sampler.observePrompt(prompt);
        }
        this.streamer =
                onText == null
                        ? null
                        : new TextStreamer(tokenizer, null, onText, config.stopStrings());
        this.generated = new long[Math.min(config.maxNewTokens(), 64)];
    }

    /**
     * Chooses the next token from the logits of the sequence's last position.
     *
     * @param logits the logits over the vocabulary
     * @return the token to run next, or -1 when the sequence is finished (a stop token, a stop
     *     string or the token limit)
     * @throws TranslateException if the options refer to ids outside the vocabulary
     */
    long step(float[] logits) throws TranslateException {
        if (finished) {
            throw new IllegalStateException("The sequence is finished");
        }
        if (!started) {
            checkVocabulary(logits.length);
            started = true;
        }
        long token = sampler.next(logits);
        if (config.stopTokens().contains(token)) {
            stopped = true;
            finished = true;
            return -1;
        }
        if (count == generated.length) {
            generated = Arrays.copyOf(generated, Math.min(2 * count, config.maxNewTokens()));
        }
        generated[count++] = token;
        sampler.accept((int) token);
        if (config.onToken() != null) {
            config.onToken().accept(token);
        }
        if (!config.stopStrings().isEmpty() && reachedStopString()) {
            stopped = true;
            finished = true;
            return -1;
        }
        if (streamer != null) {
            streamer.accept(token);
        }
        if (count == config.maxNewTokens()) {
            finished = true;
            return -1;
        }
        return token;
    }

    /** Decodes the text so far and looks for a stop string where the new token could end one. */
    private boolean reachedStopString() {
        String text = tokenizer.decode(Arrays.copyOf(generated, count));
        int longest = 0;
        for (String stop : config.stopStrings()) {
            longest = Math.max(longest, stop.length());
        }
        int at = StopStrings.find(config.stopStrings(), text, checkedLength - longest + 1);
        checkedLength = text.length();
        if (at < 0) {
            return false;
        }
        stoppedText = text.substring(0, at);
        return true;
    }

    /**
     * Returns whether {@link #step} has run: the prompt has been through the model.
     *
     * @return true after the first step
     */
    boolean started() {
        return started;
    }

    /**
     * Returns whether the sequence is finished.
     *
     * @return true after a stop token or the token limit
     */
    boolean finished() {
        return finished;
    }

    /**
     * Decodes the continuation and flushes the stream.
     *
     * @return the generated text
     */
    GeneratedText result() {
        long[] ids = Arrays.copyOf(generated, count);
        String text = stoppedText != null ? stoppedText : tokenizer.decode(ids);
        if (streamer != null) {
            streamer.finish(text);
        }
        return new GeneratedText(text, ids, stopped);
    }

    /** Checks the options that refer to token ids against the model's vocabulary. */
    private void checkVocabulary(int vocabulary) throws TranslateException {
        if (config.topK() > vocabulary) {
            throw new TranslateException(
                    "topK is "
                            + config.topK()
                            + " but the model's vocabulary has "
                            + vocabulary
                            + " tokens");
        }
        for (long id : config.stopTokens()) {
            if (id >= vocabulary) {
                throw new TranslateException(
                        "Stop token "
                                + id
                                + " is outside the model's vocabulary of "
                                + vocabulary
                                + " tokens (ids 0.."
                                + (vocabulary - 1)
                                + ")");
            }
        }
    }
}
