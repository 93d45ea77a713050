package io.moezoo.recipes.language;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.translators.text.GeneratedText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether a Brown language model's continuations loop: each held-out (test) document's first
 * {@value #PROMPT_WORDS} words are a prompt, the model continues it for {@value #NEW_TOKENS} tokens
 * with the card's generation arguments, and {@link SequenceRepetition seq-rep-4} of the
 * continuations is compared with seq-rep-4 of the {@value #NEW_TOKENS} tokens the author actually
 * wrote next. The same continuations by plain greedy decoding (no repetition penalty) are measured
 * too, to show what the penalty does.
 *
 * @param modelRep4 mean seq-rep-4 of the model's continuations (the card's arguments)
 * @param greedyRep4 mean seq-rep-4 of plain greedy continuations (repetition penalty 1)
 * @param humanRep4 mean seq-rep-4 of the held-out text after the same prompts
 * @param prompts the number of prompts
 */
public record BrownContinuations(
        double modelRep4, double greedyRep4, double humanRep4, int prompts) {

    /** Words of each document that make its prompt. */
    public static final int PROMPT_WORDS = 8;

    /** Tokens generated per prompt. */
    public static final int NEW_TOKENS = 64;

    /**
     * One prompt and the author's continuation of it.
     *
     * @param text the prompt
     * @param human the next {@value #NEW_TOKENS} tokens of the document
     */
    public record Prompt(String text, long[] human) {}

    /**
     * The prompts of the test split: one per held-out document.
     *
     * @param corpus the Brown corpus as JSON lines
     * @param tokenizer the models' tokenizer
     * @return the prompts, in file-name order
     * @throws IOException if the corpus cannot be read
     */
    public static List<Prompt> prompts(Path corpus, HuggingFaceTokenizer tokenizer)
            throws IOException {
        List<JsonObject> docs = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                docs.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        docs.sort((a, b) -> a.get("file").getAsString().compareTo(b.get("file").getAsString()));
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            if (BrownSplits.splitOf(i) != 2) {
                continue;
            }
            String text = docs.get(i).get("text").getAsString().strip();
            String[] words = text.split("\\s+", PROMPT_WORDS + 1);
            String prompt = String.join(" ", Arrays.copyOf(words, PROMPT_WORDS));
            int promptTokens = tokenizer.encode(prompt).getIds().length;
            long[] all = tokenizer.encode(text).getIds();
            int end = Math.min(all.length, promptTokens + NEW_TOKENS);
            prompts.add(new Prompt(prompt, Arrays.copyOfRange(all, promptTokens, end)));
        }
        return prompts;
    }

    /**
     * Continues every prompt and measures repetition.
     *
     * @param generator a predictor with the card's arguments, at most {@value #NEW_TOKENS} new
     *     tokens
     * @param greedy a predictor decoding greedily with no repetition penalty, as many tokens
     * @param prompts the prompts
     * @return the measures
     * @throws TranslateException if generation fails
     */
    public static BrownContinuations measure(
            Predictor<String, GeneratedText> generator,
            Predictor<String, GeneratedText> greedy,
            List<Prompt> prompts)
            throws TranslateException {
        List<long[]> model = new ArrayList<>();
        List<long[]> plain = new ArrayList<>();
        List<long[]> human = new ArrayList<>();
        for (Prompt p : prompts) {
            model.add(generator.predict(p.text()).tokenIds());
            plain.add(greedy.predict(p.text()).tokenIds());
            human.add(p.human());
        }
        return new BrownContinuations(
                SequenceRepetition.mean(model, 4),
                SequenceRepetition.mean(plain, 4),
                SequenceRepetition.mean(human, 4),
                prompts.size());
    }
}
