package io.moezoo.zoo.reward;

import java.util.Locale;
import java.util.Map;

/** Renders a reward model's human-readable card ({@code README.md}) from its {@code card.json}. */
final class ModelCard {

    private ModelCard() {}

    @SuppressWarnings("unchecked")
    static String markdown(String id, RewardModelSpec spec, Map<String, Object> card) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(id).append("\n\n");
        md.append(
                RewardModelSpec.DMOERM.equals(spec.architecture())
                        ? "A DMoERM-style double-layer mixture-of-experts reward model (outer top-1 router over Brown genre"
                                + " categories, inner dense mixture of LoRA experts, one per capability dimension, aggregated by an MLP).\n\n"
                        : "An ArmoRM-style reward model (multi-objective ridge regression heads plus a prompt-conditioned"
                                + " softmax gating network over the objectives).\n\n");
        md.append(
                        "DJL application: `nlp/text_classification` (DJL has no reward-model application).")
                .append(
                        " Inputs: `RewardInput(prompt, response)` -> `RewardScore`, or `PreferencePair(prompt, chosen, rejected)`")
                .append(
                        " -> `PreferenceProbability` = sigmoid(r_chosen - r_rejected) (translators: `io.moezoo.translators.reward`).")
                .append(" Text is UTF-8 bytes, whitespace collapsed; the prompt keeps its last ")
                .append(spec.maxPromptBytes())
                .append(" bytes, a response longer than ")
                .append(spec.maxResponseBytes())
                .append(" bytes (with its leading space) is rejected.\n\n");
        md.append("**Data.** ").append(card.get("data")).append("\n\n");
        md.append("**Recipe.** ").append(card.get("recipe")).append("\n\n");
        md.append("**Seed** ").append(card.get("seed"));
        md.append(". **Parameters:** ").append(card.get("totalParameters")).append(" total, ");
        md.append(card.get("activatedParameters")).append(" activated per input.\n\n");
        Map<String, Double> metrics = (Map<String, Double>) card.get("metrics");
        Map<String, Object> baselines = (Map<String, Object>) card.get("baselines");
        md.append("## Held-out pairwise accuracy\n\n| metric | ").append(id);
        for (String b : baselines.keySet()) {
            if (!b.endsWith("_parameters")) {
                md.append(" | ").append(b);
            }
        }
        md.append(" |\n|---|---:");
        for (String b : baselines.keySet()) {
            if (!b.endsWith("_parameters")) {
                md.append("|---:");
            }
        }
        md.append("|\n");
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            md.append("| ").append(m.getKey()).append(" | ").append(format(m.getValue()));
            for (Map.Entry<String, Object> b : baselines.entrySet()) {
                if (!b.getKey().endsWith("_parameters")) {
                    Object v = ((Map<String, Object>) b.getValue()).get(m.getKey());
                    md.append(" | ").append(v instanceof Number n ? format(n.doubleValue()) : "-");
                }
            }
            md.append(" |\n");
        }
        md.append(
                        "\nThe dense baseline (not shipped): the same frozen encoder, one LoRA adapter with as many")
                .append(
                        " parameters as all DMoERM experts, and an MLP head as large as DMoERM's value heads and")
                .append(
                        " aggregators, trained with the same optimiser, learning rate and batch for as many steps as")
                .append(" DMoERM's phase 2 in total. Parameter counts: ")
                .append(card.get("parameters"))
                .append(".\n\n");
        md.append("## Reproduce\n\n```\n").append(card.get("command")).append("\n```\n");
        return md.toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) > 1
                ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
