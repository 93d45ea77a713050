package io.moezoo.recipes.language;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.recipes.ngram.KneserNeyModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recipe selection for the Brown language models, on validation data only: the Brown files are
 * sorted by name, every 10th (index ≡ 9 mod 10) is the held-out test split and is never read here;
 * of the rest, index ≡ 8 mod 10 is the validation split and the others are trained on. Each run
 * reports the validation perplexity of one model beside a Kneser-Ney trigram trained on the same
 * training files and tokens.
 *
 * <p>Command line: {@code moe|dense CORPUS_JSONL OUT_DIR SEED [FIELD=VALUE...]} with fields of
 * {@link LanguageRecipe} changed from {@link #DEFAULT}.
 */
public final class LanguageRecipeSearch {

    /** The starting point of the search. */
    public static final LanguageRecipe DEFAULT =
            new LanguageRecipe(2000, 128, 4, 32, 8, 2, 128, 128, 16, 3000, 2e-3f, 200, 0.1f, 0.01f);

    /** The record of every recipe tried for the shipped models, with its validation result. */
    static final String TRIED_RESOURCE = "brown-recipes-tried.json";

    private LanguageRecipeSearch() {}

    /**
     * The recipes tried for the shipped Brown models, as recorded in {@value #TRIED_RESOURCE}: each
     * entry holds the changes from {@link #DEFAULT}, the model (moe or dense) and its validation
     * perplexity beside the Kneser-Ney trigram's.
     *
     * @return the entries
     * @throws IOException if the resource is missing or not a JSON array
     */
    public static JsonArray tried() throws IOException {
        try (InputStream in = LanguageRecipeSearch.class.getResourceAsStream(TRIED_RESOURCE)) {
            if (in == null) {
                throw new IOException(TRIED_RESOURCE + " is missing from the classpath");
            }
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonArray();
        } catch (IllegalStateException | JsonParseException e) {
            throw new IOException(TRIED_RESOURCE + " is not a JSON array: " + e.getMessage(), e);
        }
    }

    /**
     * Tokenises the Brown corpus with the recipe's tokenizer into the three splits.
     *
     * @param corpus the JSON-lines export ({@code file}, {@code text})
     * @param merges the tokenizer cut
     * @return the three streams, documents joined by {@code <|endoftext|>}
     * @throws IOException if the corpus cannot be read or holds no documents
     */
    public static BrownSplits splits(Path corpus, int merges) throws IOException {
        List<JsonObject> docs = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                docs.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        if (docs.isEmpty()) {
            throw new IOException(corpus + " holds no documents");
        }
        docs.sort((a, b) -> a.get("file").getAsString().compareTo(b.get("file").getAsString()));
        List<List<Long>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (HuggingFaceTokenizer tokenizer = TruncatedGpt2Bpe.load(merges)) {
            for (int i = 0; i < docs.size(); i++) {
                List<Long> target = parts.get(BrownSplits.splitOf(i));
                for (long id : tokenizer.encode(docs.get(i).get("text").getAsString()).getIds()) {
                    target.add(id);
                }
                target.add(TruncatedGpt2Bpe.endOfText(merges));
            }
        }
        long[][] out = new long[3][];
        for (int k = 0; k < 3; k++) {
            out[k] = parts.get(k).stream().mapToLong(Long::longValue).toArray();
        }
        return new BrownSplits(out[0], out[1], out[2]);
    }

    /**
     * Runs one recipe.
     *
     * @param args see the class comment
     * @throws IOException if data cannot be read or the model saved
     */
    public static void main(String[] args) throws IOException {
        boolean moe = args[0].equals("moe");
        Path corpus = Paths.get(args[1]);
        Path out = Files.createDirectories(Paths.get(args[2]));
        long seed = Long.parseLong(args[3]);
        LanguageRecipe recipe = DEFAULT.with(java.util.Arrays.copyOfRange(args, 4, args.length));
        BrownSplits split = splits(corpus, recipe.merges());
        KneserNeyModel kn = KneserNeyModel.modified(3, recipe.vocabulary(), List.of(split.train()));
        System.err.printf(
                Locale.ROOT,
                "recipe %s%ntrain %,d tokens, validation %,d; KN trigram validation perplexity"
                        + " %.2f; %,d training tokens = %.2f epochs%n",
                recipe.toJson(),
                split.train().length,
                split.validation().length,
                BrownNgramBaselines.perplexity(kn, split.validation(), recipe.sequence(), 1),
                (long) recipe.steps() * recipe.batch() * recipe.sequence(),
                (double) recipe.steps()
                        * recipe.batch()
                        * recipe.sequence()
                        / split.train().length);
        CausalLmTrainer.train(
                recipe,
                moe,
                split.train(),
                split.validation(),
                seed,
                out,
                moe ? "moe" : "dense",
                Math.max(1, recipe.steps() / 10),
                System.err);
    }
}
