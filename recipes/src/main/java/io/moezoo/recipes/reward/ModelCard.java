package io.moezoo.recipes.reward;

import io.moezoo.models.reward.RewardModelSpec;
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
        md.append("**Seed** ").append(plain(card.get("seed")));
        md.append(". **Parameters:** ")
                .append(plain(card.get("totalParameters")))
                .append(" total, ");
        md.append(plain(card.get("activatedParameters"))).append(" activated per input.\n\n");
        Map<String, Object> metrics = (Map<String, Object>) card.get("metrics");
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
        for (Map.Entry<String, Object> m : metrics.entrySet()) {
            md.append("| ")
                    .append(m.getKey())
                    .append(" | ")
                    .append(format(((Number) m.getValue()).doubleValue()));
            for (Map.Entry<String, Object> b : baselines.entrySet()) {
                if (!b.getKey().endsWith("_parameters")) {
                    Object v = ((Map<String, Object>) b.getValue()).get(m.getKey());
                    md.append(" | ").append(v instanceof Number n ? format(n.doubleValue()) : "-");
                }
            }
            md.append(" |\n");
        }
        Object re = card.get("reevaluation");
        if (re instanceof Map<?, ?> r && r.get("metrics") instanceof Map<?, ?> subset) {
            md.append("\nRe-evaluation subset (what `RewardArtifactTest` re-measures, tolerance ")
                    .append(r.get("toleranceNote"))
                    .append("): ")
                    .append(r.get("pairs"))
                    .append("; accuracy ")
                    .append(format(((Number) subset.get("accuracy")).doubleValue()))
                    .append(" (DMoERM router accuracy ")
                    .append(
                            subset.get("router_accuracy") instanceof Number n
                                    ? format(n.doubleValue())
                                    : "-")
                    .append(").\n");
        }
        if (card.get("ngramBaseline") != null) {
            md.append("\nThe n-gram baselines ").append(card.get("ngramBaseline")).append("\n");
        }
        md.append(
                        "\nThe dense baseline (not shipped): the same frozen encoder, one LoRA adapter with as many")
                .append(
                        " parameters as all DMoERM experts, and an MLP head as large as DMoERM's value heads and")
                .append(
                        " aggregators, trained with the same optimiser, learning rate and batch for as many steps as")
                .append(" DMoERM's phase 2 in total. Parameter counts: ")
                .append(parameters(card.get("parameters")))
                .append(".\n\n");
        md.append("## Deviations from the reference (moe-reference-semantics.md section 4)\n\n");
        md.append(
                        "- Base: a byte-level encoder pre-trained here (not Qwen-1.8B / Llama-3-8B), frozen throughout.\n")
                .append(
                        "- Features: final hidden states mean-pooled over the response bytes (the references take the last")
                .append(
                        " token); the prompt embedding (router / gating input) is the mean over the prompt bytes.\n");
        if (RewardModelSpec.DMOERM.equals(spec.architecture())) {
            md.append(
                            "- Task categories: the 15 Brown genres grouped into press / non-fiction / learned / fiction")
                    .append(
                            " (DMoERM: roleplay, chat, subjective QA, objective QA, text creation); the router is a linear")
                    .append(
                            " softmax head on the frozen encoder (DMoERM fine-tunes a whole LM as router).\n")
                    .append(
                            "- LoRA experts adapt the last layer's FFN (gate/up/down), not q_proj/v_proj of every layer, so the")
                    .append(
                            " frozen prefix is shared: C+1 passes of the last FFN per input instead of C+1 full passes.\n")
                    .append(
                            "- Phase 1 (fine-tuning the base per category) is skipped, the base stays frozen; each expert's")
                    .append(
                            " value head starts from random values instead of a copy of the phase-1 head.\n");
        } else {
            md.append(
                            "- Objectives come from synthetic pairwise labels, so stage-1 targets are +1 (chosen) / -1")
                    .append(" (rejected of that objective's pairs) instead of ratings.\n")
                    .append(
                            "- Reward transform T = identity: no objective measures verbosity, so there is nothing to de-bias.\n")
                    .append(
                            "- The logit scale is fixed at 1 (a non-trainable parameter), so the gates are a convex combination.\n");
        }
        md.append("\n");
        md.append(
                "Training is fast only with `OMP_NUM_THREADS=1` on a shared 2-core machine (OpenMP spin-waiting).\n\n");
        md.append("## Reproduce\n\n```\n").append(card.get("command")).append("\n```\n");
        return md.toString();
    }

    private static String parameters(Object map) {
        StringBuilder s = new StringBuilder();
        if (map instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                s.append(s.length() == 0 ? "" : ", ")
                        .append(e.getKey())
                        .append(" ")
                        .append(plain(e.getValue()));
            }
        }
        return s.toString();
    }

    private static String plain(Object v) {
        return v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? Long.toString(n.longValue())
                : String.valueOf(v);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) > 1
                ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
