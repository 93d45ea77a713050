package io.moezoo.translators.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Passes generated text on while it is generated: given each new token id, it decodes the tokens so
 * far and hands the text that is new since the last call to a sink.
 *
 * <p>Text is held back while it cannot be final yet: while its decoding ends in U+FFFD (a token
 * that carries only part of a character's UTF-8 bytes, common with byte-level BPE), or while the
 * decoding of all tokens no longer begins with the text already passed on (a decoder rule that
 * rewrites earlier text when a token arrives). {@link #finish} passes on the rest of the final
 * text, so that what the sink received is the final text whenever the final text begins with what
 * was passed on before (always, for tokenizers whose decoding of a prefix is a prefix of the
 * decoding, such as byte-level BPE and word-level ones).
 *
 * <p>One streamer follows one generation; it decodes all tokens at each step ({@code O(n)} for n
 * tokens so far).
 */
public final class TextStreamer implements LongConsumer {

    private final HuggingFaceTokenizer tokenizer;
    private final Boolean skipSpecialTokens;
    private final Consumer<String> sink;
    private final List<String> stops;
    private long[] ids = new long[16];
    private int count;
    private String passedOn = "";

    /**
     * Creates a streamer.
     *
     * @param tokenizer the tokenizer that decodes the ids
     * @param sink receives the new text, in order, one piece per call (never empty)
     */
    public TextStreamer(HuggingFaceTokenizer tokenizer, Consumer<String> sink) {
        this(tokenizer, null, sink, List.of());
    }

    /**
     * Creates a streamer that decodes special tokens or skips them, whatever the tokenizer's own
     * setting (a format that marks structure with special tokens, such as harmony, keeps them).
     *
     * @param tokenizer the tokenizer that decodes the ids
     * @param skipSpecialTokens false to pass special tokens on as their text
     * @param sink receives the new text, in order, one piece per call (never empty)
     */
    public TextStreamer(
            HuggingFaceTokenizer tokenizer, boolean skipSpecialTokens, Consumer<String> sink) {
        this(tokenizer, (Boolean) skipSpecialTokens, sink, List.of());
    }

    /**
     * Creates a streamer that also holds back the end of the text while it could be the beginning
     * of a stop string ({@link StopStrings#heldBack}); the generation that feeds it stops before
     * streaming a token that completes one, and {@link #finish} passes on the text up to it.
     *
     * @param tokenizer the tokenizer that decodes the ids
     * @param skipSpecialTokens whether to skip special tokens, or null for the tokenizer's setting
     * @param sink receives the new text, in order, one piece per call (never empty)
     * @param stops the stop strings, empty for none
     */
    public TextStreamer(
            HuggingFaceTokenizer tokenizer,
            Boolean skipSpecialTokens,
            Consumer<String> sink,
            List<String> stops) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
        this.sink = sink;
        this.stops = List.copyOf(stops);
    }

    /**
     * Takes the next generated token and passes on the text that is complete now.
     *
     * @param token the token id
     */
    @Override
    public void accept(long token) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, 2 * count);
        }
        ids[count++] = token;
        long[] all = Arrays.copyOf(ids, count);
        passOn(
                skipSpecialTokens == null
                        ? tokenizer.decode(all)
                        : tokenizer.decode(all, skipSpecialTokens),
                false);
    }

    /**
     * Ends the generation: passes on what the final text has beyond the text passed on so far.
     *
     * @param text the final text, the decoding of all generated tokens
     */
    public void finish(String text) {
        passOn(text, true);
    }

    /**
     * Returns the text passed on so far.
     *
     * @return the text
     */
    public String passedOn() {
        return passedOn;
    }

    private void passOn(String text, boolean last) {
        if (!text.startsWith(passedOn)) {
            return;
        }
        int end = text.length();
        while (!last && end > passedOn.length() && text.charAt(end - 1) == '\uFFFD') {
            end--;
        }
        if (!last && !stops.isEmpty()) {
            end =
                    Math.max(
                            passedOn.length(),
                            end - StopStrings.heldBack(stops, text.substring(0, end)));
        }
        if (end > passedOn.length()) {
            sink.accept(text.substring(passedOn.length(), end));
            passedOn = text.substring(0, end);
        }
    }
}
