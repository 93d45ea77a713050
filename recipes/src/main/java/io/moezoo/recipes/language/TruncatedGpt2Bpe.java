package io.moezoo.recipes.language;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * GPT-2's byte-level BPE cut down to its first M merges: a smaller vocabulary for small language
 * models, where a 50,257-way softmax would cost more than the whole transformer.
 *
 * <p>BPE merges are learnt in order and each merge joins two symbols that exist after the merges
 * before it, so any prefix of GPT-2's merge list is itself a complete byte-level BPE. GPT-2 numbers
 * the 256 byte symbols 0..255 and the result of merge r (0-based) 256 + r, so the cut tokenizer
 * keeps GPT-2's ids for every token it has; {@code <|endoftext|>} moves to id 256 + M. Pre-
 * tokenisation (the GPT-2 regex) and decoding are GPT-2's. With M = 50,000 this is GPT-2.
 */
public final class TruncatedGpt2Bpe {

    /** GPT-2's number of merges. */
    public static final int GPT2_MERGES = 50_000;

    private static final String END_OF_TEXT = "<|endoftext|>";

    private TruncatedGpt2Bpe() {}

    /**
     * The vocabulary size of the tokenizer with M merges: 256 bytes, M merged tokens and {@code
     * <|endoftext|>}.
     *
     * @param merges M
     * @return 257 + M
     */
    public static int vocabularySize(int merges) {
        return 257 + merges;
    }

    /**
     * The id of {@code <|endoftext|>} in the tokenizer with M merges.
     *
     * @param merges M
     * @return 256 + M
     */
    public static long endOfText(int merges) {
        return 256L + merges;
    }

    /**
     * Builds the {@code tokenizer.json} (Hugging Face {@code tokenizers} format) with the first M
     * of GPT-2's merges.
     *
     * @param merges M, in [0, 50,000]
     * @return the JSON document
     * @throws IOException if GPT-2's tokenizer resource cannot be read
     * @throws IllegalArgumentException if M is out of range
     */
    public static String tokenizerJson(int merges) throws IOException {
        if (merges < 0 || merges > GPT2_MERGES) {
            throw new IllegalArgumentException(
                    "merges must be in [0, " + GPT2_MERGES + "], got " + merges);
        }
        JsonObject gpt2;
        try (InputStream in =
                BrownLanguageModels.class.getResourceAsStream("gpt2/tokenizer.json")) {
            if (in == null) {
                throw new IOException("GPT-2 tokenizer.json resource is missing");
            }
            gpt2 =
                    JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .getAsJsonObject();
        }
        JsonObject model = gpt2.getAsJsonObject("model");
        JsonObject vocab = new JsonObject();
        for (Map.Entry<String, com.google.gson.JsonElement> e :
                model.getAsJsonObject("vocab").entrySet()) {
            int id = e.getValue().getAsInt();
            if (id < 256 + merges) {
                vocab.addProperty(e.getKey(), id);
            }
        }
        vocab.addProperty(END_OF_TEXT, endOfText(merges));
        JsonArray allMerges = model.getAsJsonArray("merges");
        JsonArray kept = new JsonArray();
        for (int r = 0; r < merges; r++) {
            kept.add(allMerges.get(r));
        }
        model.add("vocab", vocab);
        model.add("merges", kept);
        JsonObject special = gpt2.getAsJsonArray("added_tokens").get(0).getAsJsonObject();
        special.addProperty("id", endOfText(merges));
        return new GsonBuilder().disableHtmlEscaping().create().toJson(gpt2);
    }

    /**
     * Writes the tokenizer with M merges to a file.
     *
     * @param file the {@code tokenizer.json} to write
     * @param merges M
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, int merges) throws IOException {
        Files.writeString(file, tokenizerJson(merges), StandardCharsets.UTF_8);
    }

    /**
     * Loads the tokenizer with M merges (no special tokens added, no truncation).
     *
     * @param merges M
     * @return the tokenizer
     * @throws IOException if it cannot be built
     */
    public static HuggingFaceTokenizer load(int merges) throws IOException {
        Path file = Files.createTempDirectory("moezoo-bpe").resolve("tokenizer.json");
        write(file, merges);
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(file)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .build();
    }
}
