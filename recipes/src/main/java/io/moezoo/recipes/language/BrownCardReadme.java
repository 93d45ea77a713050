package io.moezoo.recipes.language;

import java.util.Locale;

/** The {@code README.md} of a Brown language model artifact, written beside its card. */
final class BrownCardReadme {

    private BrownCardReadme() {}

    static String of(
            String id,
            BrownCard.Measured model,
            BrownCard.Measured dense,
            BrownNgramBaselines ngram,
            BrownContinuations continuations,
            BrownSplits split,
            long seed) {
        LanguageRecipe r = BrownLanguageModels.RECIPE;
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(id).append("\n\n");
        sb.append(
                id.equals("brown-moe")
                        ? String.format(
                                Locale.ROOT,
                                "A decoder-only MoE language model: %d layers, hidden %d, %d heads,"
                                        + " RoPE, RMSNorm, tied embeddings; every FFN is %d SwiGLU"
                                        + " experts (width %d) with softmax top-%d routing (Mixtral"
                                        + " semantics).%n%n",
                                r.layers(),
                                r.hidden(),
                                r.hidden() / r.headDim(),
                                r.experts(),
                                r.expertWidth(),
                                r.topK())
                        : String.format(
                                Locale.ROOT,
                                "The dense twin of brown-moe: the same decoder with one SwiGLU FFN"
                                        + " of width %d per layer (= %d active experts of %d),"
                                        + " trained with the same recipe on the same tokens.%n%n",
                                r.topK() * r.expertWidth(),
                                r.topK(),
                                r.expertWidth()));
        sb.append("| | value |\n|---|---:|\n");
        row(sb, "total parameters", String.format(Locale.ROOT, "%,d", model.total()));
        row(sb, "activated per token", String.format(Locale.ROOT, "%,d", model.activated()));
        row(
                sb,
                String.format(
                        Locale.ROOT,
                        "held-out perplexity (all %,d held-out predictions)",
                        ngram.predictions()),
                fmt(model.perplexity()));
        if (dense != null) {
            row(sb, "brown-dense held-out perplexity (same recipe)", fmt(dense.perplexity()));
        }
        row(sb, "Kneser-Ney trigram, same tokens (baseline)", fmt(ngram.trigram()));
        row(sb, "Kneser-Ney bigram, same tokens (baseline)", fmt(ngram.bigram()));
        if (continuations != null) {
            row(
                    sb,
                    String.format(
                            Locale.ROOT,
                            "seq-rep-4 of %d-token continuations (%d held-out prompts)",
                            BrownContinuations.NEW_TOKENS,
                            continuations.prompts()),
                    fmt(continuations.modelRep4()));
            row(
                    sb,
                    "the same by plain greedy decoding (no repetition penalty)",
                    fmt(continuations.greedyRep4()));
            row(
                    sb,
                    "seq-rep-4 of the held-out text after the same prompts",
                    fmt(continuations.humanRep4()));
        }
        sb.append("\n**Data.** ").append(BrownCard.data(split)).append(".\n");
        sb.append("\n**Recipe.** ")
                .append(
                        BrownCard.recipe(
                                split,
                                BrownLanguageModels.heldOutWindows(split.test().length),
                                ngram.predictions()))
                .append(
                        String.format(
                                Locale.ROOT,
                                "; seed %d. Chosen on the validation split (recipes tried: card.json"
                                        + " recipesTried). Weights shipped in F16; the perplexity"
                                        + " above is measured on the F16 weights.%n",
                                seed));
        sb.append("\n**Baselines.** ").append(BrownCard.NGRAM_BASELINES).append("\n");
        if (continuations != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%n**Repetition.** The first %d words of each held-out document are"
                                    + " continued for %d tokens with the default generation"
                                    + " arguments (greedy, repetition penalty %s); seq-rep-4 is"
                                    + " the share of 4-grams of a continuation that repeat an"
                                    + " earlier one (Welleck et al. 2019). Plain greedy decoding"
                                    + " (penalty 1) loops, which is why the penalty is part of"
                                    + " the default arguments.%n",
                            BrownContinuations.PROMPT_WORDS,
                            BrownContinuations.NEW_TOKENS,
                            BrownCard.REPETITION_PENALTY));
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%n**Re-evaluation.** `BrownZooModelsTest` re-measures the n-gram baselines"
                                + " and the repetition on the whole split and the network on every"
                                + " %dth window: %.2f (Kneser-Ney trigram on the same windows:"
                                + " %.2f).%n",
                        BrownCard.REEVALUATION_STRIDE,
                        model.subsetPerplexity(),
                        ngram.trigramSubset()));
        sb.append("\n**Honest note.** ").append(note(model, dense, ngram)).append("\n");
        sb.append("\n**Reproduce.** `tools/train-brown-lm.sh ").append(seed).append("`\n");
        return sb.toString();
    }

    private static String note(
            BrownCard.Measured model, BrownCard.Measured dense, BrownNgramBaselines ngram) {
        StringBuilder s = new StringBuilder();
        s.append(
                model.perplexity() < ngram.trigram()
                        ? String.format(
                                Locale.ROOT,
                                "The network beats the Kneser-Ney trigram on the same tokens"
                                        + " (%.3fx its perplexity). ",
                                model.perplexity() / ngram.trigram())
                        : String.format(
                                Locale.ROOT,
                                "The network does not beat the classical baseline: its held-out"
                                        + " perplexity is %.3fx the Kneser-Ney trigram's. ",
                                model.perplexity() / ngram.trigram()));
        if (dense != null) {
            s.append(
                    model.perplexity() < dense.perplexity()
                            ? "The MoE beats its dense twin at equal activated parameters and"
                                    + " equal training tokens."
                            : "The MoE does not beat its dense twin at this budget.");
        }
        return s.toString().trim();
    }

    private static void row(StringBuilder sb, String name, String value) {
        sb.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
